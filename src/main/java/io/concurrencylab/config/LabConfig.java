package io.concurrencylab.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The typed configuration. Read synchronously, before any Vert.x instance exists, because it decides how that
 * instance is built (clustered or not, its options); that is why this is not vertx-config's async retriever.
 *
 * <p>Layers, each overriding the one before: {@code conf/config.json} bundled in the jar (every key and its
 * default), an optional file ({@code --config FILE}), environment variables ({@code LAB_HTTP_PORT} for
 * {@code http.port}), then {@code --set http.port=8081} options. Only keys that exist in the defaults are accepted,
 * so a typo is an error rather than a silently ignored setting.
 */
public final class LabConfig {
  private final JsonObject json;

  private LabConfig(JsonObject json) {
    this.json = json;
  }

  /** The defaults alone (what tests start from). */
  public static LabConfig defaults() {
    try (InputStream in = LabConfig.class.getResourceAsStream("/config.json")) {
      if (in == null) {
        throw new IllegalStateException("config.json is missing from the classpath (the build copies conf/ into the jar)");
      }
      return new LabConfig(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The threshold of the app's own loggers (conf/logback.xml, and a node's own logging), not a config key. */
  public static final String LOG_LEVEL_ENV = "LAB_LOG_LEVEL";
  /** What logback reads as a level; anything else it would take as DEBUG. */
  public static final java.util.List<String> LOG_LEVELS = java.util.List.of("OFF", "ERROR", "WARN", "INFO", "DEBUG",
      "TRACE", "ALL");

  /** A config file is a few KB (conf/config.json is ~5 KB): a larger one is refused, not read whole. */
  static final int MAX_FILE_BYTES = 1 << 20;

  /**
   * Defaults, then {@code file} (may be null), then the environment, then {@code overrides} ({@code key=value}).
   *
   * @throws IllegalArgumentException with a readable message for an unknown key or a value of the wrong type
   */
  public static LabConfig load(Path file, Map<String, String> env, Iterable<String> overrides) {
    LabConfig config = defaults();
    if (file != null) {
      Object fromFile;
      try {
        fromFile = TextFiles.parseJson(TextFiles.read(file, MAX_FILE_BYTES));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read config file " + file + ": " + TextFiles.why(e));
      } catch (io.vertx.core.json.DecodeException e) {
        throw new IllegalArgumentException("config file " + file + " is not valid JSON: " + TextFiles.reason(e));
      }
      if (!(fromFile instanceof JsonObject json)) {
        throw new IllegalArgumentException("config file " + file + " must hold one JSON object, like conf/config.json");
      }
      config.mergeFile(json, "", file.toString());
    }
    String level = env.get(LOG_LEVEL_ENV);
    if (level != null && !LOG_LEVELS.contains(level.trim().toUpperCase(java.util.Locale.ROOT))) {
      // logback would quietly take DEBUG for it, and every node would stop at its first log line
      throw new IllegalArgumentException("environment variable " + LOG_LEVEL_ENV + " must be one of "
          + String.join(", ", LOG_LEVELS) + " (any case), got '" + level + "'");
    }
    for (String key : config.keys()) {
      String value = env.get(envName(key));
      if (value != null) {
        config.set(key, value, "environment variable " + envName(key));
      }
    }
    for (String kv : overrides) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set takes KEY=VALUE, got '" + kv + "'");
      }
      config.set(kv.substring(0, eq), kv.substring(eq + 1), "--set " + kv);
    }
    return config.validated();
  }

  /**
   * Checks the values, so a bad one is one clear line at start (naming its key) rather than a failure later.
   *
   * @throws IllegalArgumentException naming the key, the rule and the value
   */
  public LabConfig validated() {
    RANGES.forEach((key, bounds) -> range(key, bounds[0], bounds[1]));
    for (String text : new String[] {"http.host", "bridge.host", "cluster.host", "data.dir", "cluster.runDir",
        "compare.python"}) {
      // an empty host is no address; an empty folder is the checkout itself; an empty program runs nothing
      if (text(text).isBlank()) {
        throw new IllegalArgumentException("configuration key '" + text + "' must not be empty");
      }
    }
    if (clusterHost().contains(":")) { // Hazelcast runs on the IPv4 stack here: it finds no interface for ::1
      throw new IllegalArgumentException("configuration key 'cluster.host' takes an IPv4 address or a host name "
          + "(the cluster runs over IPv4), got '" + clusterHost() + "'");
    }
    if (clusterPort() + clusterPortCount() - 1 > 65535) { // Hazelcast tries each port of the range
      throw new IllegalArgumentException("configuration key 'cluster.portCount' must keep cluster.port ("
          + clusterPort() + ") + cluster.portCount - 1 below 65536, got " + clusterPortCount());
    }
    if (!clusterName().matches("[A-Za-z0-9._-]{1,64}")) { // shown as it is by status, logs and Hazelcast
      throw new IllegalArgumentException("configuration key 'cluster.name' takes 1 to 64 letters, digits, '.', '_' "
          + "or '-', got '" + (clusterName().length() > 40 ? clusterName().substring(0, 40) + "…" : clusterName()) + "'");
    }
    for (String member : clusterJoin()) {
      if (!member.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new IllegalArgumentException("configuration key 'cluster.join' takes HOST:PORT addresses separated by "
            + "commas, e.g. 10.0.0.1:5701,10.0.0.2:5701; got '" + section("cluster").getString("join") + "'");
      }
    }
    if (clusterEventBusPortOffset() != 0 && (clusterEventBusPortOffset() < clusterPortCount()
        || clusterPort() + clusterPortCount() - 1 + clusterEventBusPortOffset() > 65535)) {
      throw new IllegalArgumentException("configuration key 'cluster.eventBusPortOffset' must be 0 (any free port) or "
          + "at least cluster.portCount (" + clusterPortCount() + "), so event-bus ports do not fall in the Hazelcast "
          + "range, and keep them below 65536; got " + clusterEventBusPortOffset());
    }
    for (String host : httpAllowedHosts()) { // a Host header is "name" or "name:port": nothing else could match
      java.util.regex.Matcher m = HOST_HEADER.matcher(host);
      int port = m.matches() && m.group(1) != null ? Integer.parseInt(m.group(1)) : 1;
      if (!m.matches() || port < 1 || port > 65535) {
        throw new IllegalArgumentException("configuration key 'http.allowedHosts' takes names as a Host header gives "
            + "them, NAME or NAME:PORT (port 1 to 65535) separated by commas, e.g. lab.example,lab.example:8443 (no "
            + "http://); got '" + (host.length() > 40 ? host.substring(0, 40) + "…" : host) + "'");
      }
    }
    if (httpPort() != 0 && httpPort() == bridgePort()) { // both would start, and take turns at its connections
      throw new IllegalArgumentException("configuration keys 'http.port' and 'bridge.port' are both " + httpPort()
          + ": give each its own port");
    }
    interval("list.producerMinMs", "list.producerMaxMs");
    interval("list.consumerMinMs", "list.consumerMaxMs");
    java.util.List<Integer> sizes;
    try {
      sizes = squaresSizes();
    } catch (NumberFormatException e) {
      sizes = java.util.List.of(-1);
    }
    String given = section("squares").getString("sizes");
    if (sizes.stream().anyMatch(size -> size < 1)) {
      throw new IllegalArgumentException("configuration key 'squares.sizes' takes sizes from 1 to squares.maxNodes ("
          + squaresMaxNodes() + ") separated by commas, e.g. 2,4,8; got '" + given + "'");
    }
    if (sizes.stream().anyMatch(size -> size > squaresMaxNodes())) { // either key may be the one to change
      throw new IllegalArgumentException("configuration key 'squares.sizes' ('" + given + "') has a size above "
          + "squares.maxNodes (" + squaresMaxNodes() + "): lower squares.sizes or raise squares.maxNodes");
    }
    return this;
  }

  /** A name as a Host header gives it (an IPv6 literal in brackets), with an optional port. */
  private static final java.util.regex.Pattern HOST_HEADER = java.util.regex.Pattern.compile(
      "(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?");

  private String text(String key) {
    String[] path = key.split("\\.");
    return (path.length == 1 ? json : json.getJsonObject(path[0])).getString(path[path.length - 1]);
  }

  private long number(String key) {
    String[] path = key.split("\\.");
    JsonObject parent = path.length == 1 ? json : json.getJsonObject(path[0]);
    return parent.getLong(path[path.length - 1]);
  }

  /** The largest value of each key that sizes a pool, a queue, a buffer or a number of processes. */
  public static final Map<String, Long> UPPER_BOUNDS = Map.ofEntries(
      Map.entry("factorial.instances", 64L), Map.entry("factorial.maxInFlight", 100_000L),
      Map.entry("list.capacity", 1_000_000L), Map.entry("squares.maxNodes", 64L),
      Map.entry("squares.maxNumbers", 100_000_000L), Map.entry("squares.window", 1_024L),
      Map.entry("http.maxBodyBytes", 64L << 20), Map.entry("http.maxEventStreams", 10_000L),
      Map.entry("bridge.maxFrameBytes", 64L << 20), Map.entry("bridge.maxPendingBytes", 1L << 30),
      Map.entry("bridge.maxRequestsInFlight", 100_000L), Map.entry("bridge.maxConnections", 10_000L));

  /**
   * Each whole-number key's bounds, checked at load and named alike whether a value is out of them or not a number:
   * "takes a whole number from 1 to 64". The upper bounds of what one --set could turn into threads, processes or
   * memory the machine does not have (factorial.instances=100000 once stalled in Thread.start at 1.3 GB) are
   * {@link #UPPER_BOUNDS}; the README's table names each one.
   */
  private static final Map<String, long[]> RANGES = ranges();

  private static Map<String, long[]> ranges() {
    Map<String, long[]> ranges = new java.util.LinkedHashMap<>();
    for (String port : new String[] {"http.port", "bridge.port", "cluster.port", "squares.port", "compare.port"}) {
      ranges.put(port, new long[] {0, 65535});
    }
    for (String positive : new String[] {"list.capacity", "factorial.instances", "requestTimeoutMs",
        "http.maxBodyBytes", "cluster.portCount", "squares.maxNodes", "squares.maxNumbers", "squares.window",
        "squares.chunkTimeoutMs", "squares.readyTimeoutMs", "factorial.maxInFlight", "http.headerTimeoutMs",
        "http.bodyTimeoutMs", "http.idleTimeoutMs", "http.maxEventStreams", "bridge.maxFrameBytes",
        "bridge.maxPendingBytes", "bridge.maxRequestsInFlight", "bridge.maxConnections", "bridge.frameTimeoutMs",
        "bridge.idleTimeoutMs", "list.failoverHoldMs", "list.replicateTimeoutMs", "list.stepDownAfterMs",
        "compare.pythonTimeoutMs", "list.producerMinMs", "list.consumerMinMs"}) {
      ranges.put(positive, new long[] {1, UPPER_BOUNDS.getOrDefault(positive, Long.MAX_VALUE)});
    }
    ranges.put("factorial.maxN", new long[] {0, 10_000_000});
    ranges.put("eventLoops", new long[] {1, 64});
    ranges.put("cluster.maxServeNodes", new long[] {0, 64});
    ranges.put("cluster.dataMembers", new long[] {1, 64});
    ranges.put("cluster.nodeLogTailKiB", new long[] {1, 1024});
    ranges.put("squares.stopGraceMs", new long[] {0, Long.MAX_VALUE});
    return java.util.Collections.unmodifiableMap(ranges);
  }

  /** "a whole number from 1 to 64", "a whole number of at least 1" (for an int key: at most 2147483647). */
  private static String wholeNumber(String key, boolean isInt) {
    long[] bounds = RANGES.getOrDefault(key, new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
    long max = isInt ? Math.min(bounds[1], Integer.MAX_VALUE) : bounds[1];
    if (bounds[0] == Long.MIN_VALUE) {
      return isInt ? "a whole number of at most " + max : "a whole number";
    }
    return "a whole number " + (max == Long.MAX_VALUE ? "of at least " + bounds[0] : "from " + bounds[0] + " to " + max);
  }

  private void range(String key, long min, long max) {
    long value = number(key);
    if (value < min || value > max) {
      throw new IllegalArgumentException("configuration key '" + key + "' takes "
          + wholeNumber(key, valueAt(key) instanceof Integer) + ", got " + value);
    }
  }

  private void interval(String minKey, String maxKey) {
    if (number(maxKey) < number(minKey)) {
      throw new IllegalArgumentException("configuration key '" + maxKey + "' must not be below '" + minKey + "', got "
          + number(maxKey) + " < " + number(minKey));
    }
  }

  /** A copy with {@code key} set (tests and programs use it to adjust one setting). */
  public LabConfig with(String key, Object value) {
    LabConfig copy = new LabConfig(json.copy());
    copy.set(key, String.valueOf(value), "with(" + key + ")");
    return copy.validated();
  }

  /** {@code http.port} becomes {@code LAB_HTTP_PORT}; {@code list.producerMinMs} becomes {@code LAB_LIST_PRODUCERMINMS}. */
  public static String envName(String key) {
    return "LAB_" + key.replace('.', '_').toUpperCase();
  }

  /** Every leaf key, dotted. */
  public java.util.List<String> keys() {
    java.util.List<String> keys = new java.util.ArrayList<>();
    collect(json, "", keys);
    return keys;
  }

  private static void collect(JsonObject obj, String prefix, java.util.List<String> out) {
    for (String k : obj.fieldNames()) {
      Object v = obj.getValue(k);
      if (v instanceof JsonObject child) {
        collect(child, prefix + k + ".", out);
      } else {
        out.add(prefix + k);
      }
    }
  }

  private void mergeFile(JsonObject from, String prefix, String source) {
    for (String k : from.fieldNames()) {
      Object v = from.getValue(k);
      if (v instanceof JsonObject child) {
        mergeFile(child, prefix + k + ".", source);
      } else if (v == null || v instanceof io.vertx.core.json.JsonArray) { // not "null" or "[1,2]" as a text
        throw new IllegalArgumentException("configuration key '" + prefix + k + "' (from " + source + ") takes a "
            + "single value, got " + (v == null ? "null" : "an array"));
      } else {
        Object current = valueAt(prefix + k); // null for an unknown key, which set() names
        String wanted = current instanceof Number ? "a number" : current instanceof Boolean ? "a boolean (true or "
            + "false)" : current instanceof String ? "a text" : null;
        if (wanted != null && !(current instanceof Number ? v instanceof Number
            : current instanceof Boolean ? v instanceof Boolean : v instanceof String)) { // "5" for 5 is a slip
          throw new IllegalArgumentException("configuration key '" + prefix + k + "' (from " + source + ") takes "
              + wanted + ", got " + io.vertx.core.json.Json.encode(v));
        }
        set(prefix + k, String.valueOf(v), source);
      }
    }
  }

  /** The current value of a key, or null when there is no such key. */
  private Object valueAt(String key) {
    String[] path = key.split("\\.");
    Object at = json;
    for (String part : path) {
      if (!(at instanceof JsonObject object)) {
        return null;
      }
      at = object.getValue(part);
    }
    return at;
  }

  private void set(String key, String value, String source) {
    String[] path = key.split("\\.");
    JsonObject parent = json;
    for (int i = 0; i < path.length - 1; i++) {
      parent = parent.getJsonObject(path[i]);
      if (parent == null) {
        break;
      }
    }
    String leaf = path[path.length - 1];
    if (parent == null || !parent.containsKey(leaf) || parent.getValue(leaf) instanceof JsonObject) {
      throw new IllegalArgumentException("unknown configuration key '" + key + "' (from " + source
          + "); known keys: " + String.join(", ", keys()));
    }
    Object current = parent.getValue(leaf);
    try {
      if (current instanceof Integer || current instanceof Long) {
        long parsed = Long.parseLong(value.trim());
        parent.put(leaf, current instanceof Integer ? (Object) Math.toIntExact(parsed) : (Object) parsed);
      } else if (current instanceof Boolean) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw new NumberFormatException();
        }
        parent.put(leaf, Boolean.parseBoolean(value));
      } else if (current instanceof Number) {
        parent.put(leaf, Double.parseDouble(value.trim()));
      } else {
        parent.put(leaf, value);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("configuration key '" + key + "' (from " + source + ") takes "
          + (current instanceof Boolean ? "a boolean (true or false)" : current instanceof Integer
          || current instanceof Long ? wholeNumber(key, current instanceof Integer) : "a number")
          + ", got '" + value + "'");
    }
  }

  private JsonObject section(String name) {
    return json.getJsonObject(name);
  }

  public String httpHost() { return section("http").getString("host"); }
  public int httpPort() { return section("http").getInteger("port"); }
  /** Extra names a browser may use to reach the server (a reverse proxy's, say), as {@code name} or {@code name:port}. */
  public java.util.List<String> httpAllowedHosts() {
    return java.util.Arrays.stream(section("http").getString("allowedHosts").split(",")).map(String::trim)
        .filter(h -> !h.isEmpty()).toList();
  }
  public long httpHeaderTimeoutMs() { return section("http").getLong("headerTimeoutMs"); }
  public long httpBodyTimeoutMs() { return section("http").getLong("bodyTimeoutMs"); }
  public long httpIdleTimeoutMs() { return section("http").getLong("idleTimeoutMs"); }
  public int httpMaxEventStreams() { return section("http").getInteger("maxEventStreams"); }
  public boolean httpEventBusMetrics() { return section("http").getBoolean("eventBusMetrics"); }
  public String bridgeHost() { return section("bridge").getString("host"); }
  public int bridgePort() { return section("bridge").getInteger("port"); }
  public int bridgeMaxFrameBytes() { return section("bridge").getInteger("maxFrameBytes"); }
  public int bridgeMaxPendingBytes() { return section("bridge").getInteger("maxPendingBytes"); }
  public int bridgeMaxRequestsInFlight() { return section("bridge").getInteger("maxRequestsInFlight"); }
  public int bridgeMaxConnections() { return section("bridge").getInteger("maxConnections"); }
  public long bridgeFrameTimeoutMs() { return section("bridge").getLong("frameTimeoutMs"); }
  public long bridgeIdleTimeoutMs() { return section("bridge").getLong("idleTimeoutMs"); }

  public int listCapacity() { return section("list").getInteger("capacity"); }
  public int producerMinMs() { return section("list").getInteger("producerMinMs"); }
  public int producerMaxMs() { return section("list").getInteger("producerMaxMs"); }
  public int consumerMinMs() { return section("list").getInteger("consumerMinMs"); }
  public int consumerMaxMs() { return section("list").getInteger("consumerMaxMs"); }
  public long listFailoverHoldMs() { return section("list").getLong("failoverHoldMs"); }
  public long listReplicateTimeoutMs() { return section("list").getLong("replicateTimeoutMs"); }
  public long listStepDownAfterMs() { return section("list").getLong("stepDownAfterMs"); }

  public int factorialInstances() { return section("factorial").getInteger("instances"); }
  public int factorialMaxN() { return section("factorial").getInteger("maxN"); }
  public int factorialMaxInFlight() { return section("factorial").getInteger("maxInFlight"); }

  public long requestTimeoutMs() { return json.getLong("requestTimeoutMs"); }

  /** Event-loop threads of a serve. */
  public int eventLoops() { return json.getInteger("eventLoops"); }
  public int httpMaxBodyBytes() { return section("http").getInteger("maxBodyBytes"); }

  public String clusterName() { return section("cluster").getString("name"); }
  public String clusterHost() { return section("cluster").getString("host"); }
  public int clusterPort() { return section("cluster").getInteger("port"); }
  public int clusterPortCount() { return section("cluster").getInteger("portCount"); }
  /** Members on other hosts to join through ({@code host:port}, comma separated); empty: this host's range only. */
  public java.util.List<String> clusterJoin() {
    return java.util.Arrays.stream(section("cluster").getString("join").split(",")).map(String::trim)
        .filter(h -> !h.isEmpty()).toList();
  }
  /** The event bus of a member listens on its Hazelcast port + this; 0: any free port. */
  public int clusterEventBusPortOffset() { return section("cluster").getInteger("eventBusPortOffset"); }
  public boolean clusterEnabled() { return section("cluster").getBoolean("enabled"); }
  public java.nio.file.Path clusterRunDir() { return underHome(section("cluster").getString("runDir")); }
  /** How many nodes one serve may run on the app's cluster (added from the page or the API). */
  public int clusterMaxServeNodes() { return section("cluster").getInteger("maxServeNodes"); }
  /**
   * The data members (partition holders) the members of the app's cluster keep it at: a node joins as a lite member
   * and becomes a data member when fewer members hold data; a member that holds data (a serve always does) asks
   * others to before it leaves when too few would stay.
   */
  public int clusterDataMembers() { return section("cluster").getInteger("dataMembers"); }
  /** The most of a node's log the page and the API show: its last this many KiB. */
  public int clusterNodeLogTailKiB() { return section("cluster").getInteger("nodeLogTailKiB"); }

  public java.util.List<Integer> squaresSizes() {
    java.util.List<Integer> sizes = new java.util.ArrayList<>();
    for (String s : section("squares").getString("sizes").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    return sizes;
  }
  public int squaresMaxNodes() { return section("squares").getInteger("maxNodes"); }
  public long squaresMaxNumbers() { return section("squares").getLong("maxNumbers"); }
  public int squaresWindow() { return section("squares").getInteger("window"); }
  public long squaresChunkTimeoutMs() { return section("squares").getLong("chunkTimeoutMs"); }
  public int squaresPort() { return section("squares").getInteger("port"); }
  public long squaresReadyTimeoutMs() { return section("squares").getLong("readyTimeoutMs"); }
  public long squaresStopGraceMs() { return section("squares").getLong("stopGraceMs"); }
  public boolean squaresLiteNodes() { return section("squares").getBoolean("liteNodes"); }
  public String squaresNodeJvmFlags() { return section("squares").getString("nodeJvmFlags"); }

  /** A file holding the access token (see {@link AccessToken}); empty: none (the token may come from the environment). */
  public String authTokenFile() { return section("auth").getString("tokenFile"); }

  public int comparePort() { return section("compare").getInteger("port"); }
  public String comparePython() { return section("compare").getString("python"); }
  public long comparePythonTimeoutMs() { return section("compare").getLong("pythonTimeoutMs"); }
  public String compareNodeJvmFlags() { return section("compare").getString("nodeJvmFlags"); }

  /** The data folder (run history); relative paths are under the checkout ({@code lab.home}) when known. */
  public java.nio.file.Path dataDir() { return underHome(section("data").getString("dir")); }

  private static java.nio.file.Path underHome(String path) {
    java.nio.file.Path p = java.nio.file.Path.of(path);
    String home = System.getProperty("lab.home");
    return p.isAbsolute() || home == null ? p : java.nio.file.Path.of(home).resolve(p);
  }

  /** The whole configuration, as verticles receive it in {@code config()}. */
  public JsonObject toJson() {
    return json.copy();
  }

  public static LabConfig fromJson(JsonObject json) {
    return new LabConfig(json.copy());
  }

  @Override
  public String toString() {
    return json.encodePrettily();
  }
}
