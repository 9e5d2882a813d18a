package io.concurrencylab.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ExitCodes;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab eb} against a real {@code lab serve}, both run from the shaded jar as child processes, the way a user
 * runs them. Ports are 0 (any free port) and read from what serve prints; nothing waits by sleeping.
 */
class EbCommandIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Pattern HTTP_LINE = Pattern.compile("serving on http://[^ ]+:(\\d+) ");
  private static final Pattern BRIDGE_LINE = Pattern.compile("^event-bus bridge on [^ ]+:(\\d+)$");

  private static Process serve;
  private static int httpPort;
  private static int bridgePort;

  @TempDir
  static Path dir;

  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  @BeforeAll
  static void startServe() throws Exception {
    Path log = Path.of(System.getProperty("lab.jar")).resolveSibling("eb-it-serve.log");
    // The producer and consumer wait 10 minutes between steps, so the list changes only when a test changes it.
    serve = new ProcessBuilder(command("serve", "--set", "http.port=0", "--set", "bridge.port=0",
        "--set", "list.producerMinMs=600000", "--set", "list.producerMaxMs=600000",
        "--set", "list.consumerMinMs=600000", "--set", "list.consumerMaxMs=600000",
        // not clustered: lab.cluster.members then has no handler, which one test needs
        "--set", "cluster.enabled=false", "--set", "data.dir=" + log.getParent().resolve("data")))
        .redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(empty())).start();
    Lines out = new Lines(serve.getInputStream(), "serve-stdout");
    httpPort = port(HTTP_LINE, out.await(line -> HTTP_LINE.matcher(line).find(), LIMIT));
    bridgePort = port(BRIDGE_LINE, out.await(line -> BRIDGE_LINE.matcher(line).find(), LIMIT));
  }

  @AfterAll
  static void stopServe() throws InterruptedException {
    if (serve != null) {
      stop(serve);
    }
  }

  /** SIGTERM first (serve closes Vert.x and exits), then SIGKILL if it does not; always waits for the exit. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, SECONDS)) {
      process.destroyForcibly();
      process.waitFor(15, SECONDS);
    }
  }

  private static int port(Pattern pattern, String line) {
    Matcher m = pattern.matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlab.home=" + System.getProperty("lab.home"),
        "-jar", System.getProperty("lab.jar")));
    command.addAll(List.of(args));
    return command;
  }

  private static File empty() throws IOException {
    return Files.writeString(Files.createTempFile(dir, "stdin", ""), "").toFile();
  }

  /** Runs {@code lab eb ARGS --port <the bridge>} to its end. */
  private static Result eb(String... args) throws Exception {
    List<String> withPort = new ArrayList<>(List.of(args));
    withPort.addAll(List.of("--port", String.valueOf(bridgePort)));
    return run(null, withPort.toArray(String[]::new));
  }

  private static Result run(String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("eb"));
    command.addAll(List.of(args));
    File in = stdin == null ? empty() : Files.writeString(Files.createTempFile(dir, "stdin", ""), stdin).toFile();
    File out = Files.createTempFile(dir, "out", "").toFile();
    File err = Files.createTempFile(dir, "err", "").toFile();
    Process process = new ProcessBuilder(command(command.toArray(String[]::new)))
        .redirectInput(in).redirectOutput(out).redirectError(err).start();
    try {
      assertThat(process.waitFor(LIMIT.toSeconds(), SECONDS)).as("eb " + command + " ended in time").isTrue();
    } finally {
      stop(process);
    }
    return new Result(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
  }

  private static Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("eb"));
    command.addAll(List.of(args));
    command.addAll(List.of("--port", String.valueOf(bridgePort)));
    return new ProcessBuilder(command(command.toArray(String[]::new)))
        .redirectInput(ProcessBuilder.Redirect.from(empty())).start();
  }

  private static JsonObject ok(Result r) {
    assertThat(r.exit()).as("exit code; stderr: " + r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.err()).isEmpty();
    return r.out().isBlank() ? null : new JsonObject(r.out());
  }

  /** A failure: its exit code, one readable line on stderr (no stack trace), nothing on stdout. */
  private static String failed(Result r, int exit) {
    assertThat(r.exit()).as("exit code; stderr: " + r.err()).isEqualTo(exit);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("lab eb: ").doesNotContain("\tat ");
    return r.err().strip();
  }

  @Test
  void requestPrintsTheReplyAsPrettyJson() throws Exception {
    Result r = eb("request", Addresses.LIST_SNAPSHOT);
    JsonObject snapshot = ok(r);
    assertThat(snapshot.fieldNames()).containsExactly("items", "size", "added", "removed");
    assertThat(r.out().lines().count()).isGreaterThan(1);
  }

  @Test
  void addThenRemoveChangeTheList() throws Exception {
    int size = ok(eb("request", Addresses.LIST_SNAPSHOT, "--json")).getInteger("size");

    JsonObject added = ok(eb("request", Addresses.LIST_ADD, "{\"value\": 1001}", "--json"));
    assertThat(added).isEqualTo(new JsonObject().put("added", 1001).put("size", size + 1));
    assertThat(ok(eb("request", Addresses.LIST_SNAPSHOT, "--json")).getJsonArray("items").getList()).endsWith(1001);

    JsonObject removed = ok(eb("request", Addresses.LIST_REMOVE, "--json"));
    assertThat(removed.getInteger("size")).isEqualTo(size);
  }

  @Test
  void aFactorialComesBackAsDecimalDigits() throws Exception {
    JsonObject result = ok(eb("request", Addresses.FACTORIAL_COMPUTE, "20", "--json"));
    assertThat(result.getString("value")).isEqualTo("2432902008176640000");
    assertThat(result.getInteger("digits")).isEqualTo(19);
  }

  @Test
  void bodiesComeFromStdinAndFiles() throws Exception {
    Result fromStdin = run("{\"n\": 5}\n", "request", Addresses.FACTORIAL_COMPUTE, "-", "--json",
        "--port", String.valueOf(bridgePort));
    assertThat(ok(fromStdin).getString("value")).isEqualTo("120");

    Path body = Files.writeString(dir.resolve("six.json"), "{\"n\": 6}");
    assertThat(ok(eb("request", Addresses.FACTORIAL_COMPUTE, "@" + body, "--json")).getString("value"))
        .isEqualTo("720");
  }

  @Test
  void headersAndTheConfiguredPortAreAccepted() throws Exception {
    Result r = run(null, "request", Addresses.LIST_SNAPSHOT, "--header", "trace=it-1", "--json",
        "--set", "bridge.port=" + bridgePort);
    assertThat(ok(r).containsKey("items")).isTrue();
  }

  @Test
  void aFailureReplyPrintsItsCodeAndMessage() throws Exception {
    String line = failed(eb("request", Addresses.LIST_ADD, "\"abc\""), ExitCodes.FAILURE_REPLY);
    assertThat(line).startsWith("lab eb: failure reply 400 from lab.list.add: not an integer");
  }

  @Test
  void anAddressWithoutAHandlerSaysSo() throws Exception {
    String line = failed(eb("request", Addresses.CLUSTER_MEMBERS), ExitCodes.NO_HANDLER);
    assertThat(line).startsWith("lab eb: no handler at lab.cluster.members");
  }

  @Test
  void aRefusedSquaresRunIsAFailureReplyAndLaunchesNothing() throws Exception {
    String line = failed(eb("request", Addresses.SQUARES_START, "{\"sizes\":[0]}"), ExitCodes.FAILURE_REPLY);
    assertThat(line).contains("400").contains("cluster size must be between 1 and 8");
  }

  @Test
  void aSlowReplyTimesOut() throws Exception {
    String line = failed(eb("request", Addresses.FACTORIAL_COMPUTE, "100000", "--timeout", "1"), ExitCodes.TIMEOUT);
    assertThat(line).startsWith("lab eb: timeout: no reply from lab.factorial.compute");
  }

  @Test
  void unknownAndInternalAddressesAreRefusedByTheBridge() throws Exception {
    assertThat(failed(eb("request", "lab.nope"), ExitCodes.REFUSED))
        .startsWith("lab eb: refused by the bridge: lab.nope is not a public address");
    assertThat(failed(eb("send", "__vertx.internal", "1"), ExitCodes.REFUSED))
        .startsWith("lab eb: refused by the bridge: __vertx.internal");
    assertThat(failed(eb("publish", "lab.list.internal", "{}"), ExitCodes.REFUSED))
        .startsWith("lab eb: refused by the bridge: lab.list.internal");
    assertThat(failed(eb("tail", "lab.nope", "--count", "1"), ExitCodes.REFUSED))
        .startsWith("lab eb: refused by the bridge: lab.nope");
  }

  @Test
  void aMalformedBodyIsAUsageError() throws Exception {
    assertThat(failed(eb("request", Addresses.LIST_ADD, "{\"value\": 4"), ExitCodes.USAGE))
        .startsWith("lab eb: malformed JSON body: ");
  }

  @Test
  void tailRefusesRequestAddresses() throws Exception {
    assertThat(failed(eb("tail", Addresses.LIST_ADD), ExitCodes.USAGE))
        .startsWith("lab eb: cannot tail lab.list.add").contains("round-robin");
  }

  @Test
  void anAppThatIsNotRunningIsUnreachable() throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0)) {
      closed = probe.getLocalPort();
    }
    String line = failed(run(null, "request", Addresses.LIST_SNAPSHOT, "--port", String.valueOf(closed)),
        ExitCodes.UNREACHABLE);
    assertThat(line).contains("not reachable at 127.0.0.1:" + closed).endsWith("start it with: launcher/lab serve");
  }

  @Test
  void theHttpPortIsNotTheBridge() throws Exception {
    String line = failed(run(null, "request", Addresses.LIST_SNAPSHOT, "--port", String.valueOf(httpPort)),
        ExitCodes.UNREACHABLE);
    assertThat(line).contains("is not the event-bus bridge");
  }

  @Test
  void tailPrintsWhatTheListOwnerPublishes() throws Exception {
    Process tail = start("tail", Addresses.LIST_CHANGED, "--count", "3", "--json");
    try {
      Lines out = new Lines(tail.getInputStream(), "tail-stdout");
      new Lines(tail.getErrorStream(), "tail-stderr").await(line -> line.startsWith("lab eb: tailing"), LIMIT);

      assertThat(ok(eb("send", Addresses.LIST_ADD, "2001"))).isNull();
      ok(eb("request", Addresses.LIST_ADD, "{\"value\": 2002}"));
      ok(eb("request", Addresses.LIST_REMOVE));

      List<JsonObject> lines = out.rest(LIMIT).stream().map(JsonObject::new).toList();
      assertThat(tail.waitFor(LIMIT.toSeconds(), SECONDS)).isTrue();
      assertThat(tail.exitValue()).isEqualTo(ExitCodes.OK);
      assertThat(lines).extracting(l -> l.getString("address")).containsOnly(Addresses.LIST_CHANGED);
      List<JsonObject> events = lines.stream().map(l -> l.getJsonObject("body")).toList();
      assertThat(events).extracting(e -> e.getString("op")).containsExactly("add", "add", "remove");
      assertThat(events).extracting(e -> e.getLong("value")).startsWith(2001L, 2002L);
      long first = events.get(0).getLong("seq");
      assertThat(events).extracting(e -> e.getLong("seq")).containsExactly(first, first + 1, first + 2);
    } finally {
      stop(tail);
    }
  }

  /** A client may publish to the request addresses (every handler gets it); never onto the app's own events. */
  @Test
  void aPublishReachesTheHandlersButCannotForgeAnEvent() throws Exception {
    Process tail = start("tail", Addresses.LIST_CHANGED, Addresses.CLUSTER_CHANGED, "--count", "1", "--json");
    try {
      Lines out = new Lines(tail.getInputStream(), "tail-stdout");
      new Lines(tail.getErrorStream(), "tail-stderr").await(line -> line.startsWith("lab eb: tailing"), LIMIT);

      assertThat(failed(eb("publish", Addresses.CLUSTER_CHANGED, "{\"probe\": \"it\"}"), ExitCodes.REFUSED))
          .contains("refused by the bridge");
      assertThat(ok(eb("publish", Addresses.LIST_ADD, "2003"))).isNull();

      List<String> lines = out.rest(LIMIT);
      assertThat(lines).hasSize(1); // the owner's event for 2003, not the forged one sent before it
      JsonObject event = new JsonObject(lines.get(0));
      assertThat(event.getString("address")).isEqualTo(Addresses.LIST_CHANGED);
      assertThat(event.getJsonObject("body").getLong("value")).isEqualTo(2003L);
    } finally {
      stop(tail);
    }
  }
}
