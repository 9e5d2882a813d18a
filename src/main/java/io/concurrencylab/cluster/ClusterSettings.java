package io.concurrencylab.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import io.concurrencylab.bus.SharedJsonCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.w3c.dom.Document;

/**
 * Which cluster a process joins and as what. The Hazelcast settings come from {@code conf/cluster.xml}; the cluster
 * name, ports and member list are set here, so the app's cluster ({@code cluster.*}) and each sweep's own cluster
 * ({@code squares.port}, a name per run) differ only in these values.
 *
 * @param name the Hazelcast cluster name: members of other clusters on the same ports are refused
 * @param host the interface to bind and advertise (127.0.0.1 by default)
 * @param port the first Hazelcast port; members take the next free one in [port, port + portCount)
 * @param lite a lite member holds no partitions: joining and leaving move no data (sweep nodes)
 * @param role what this member is, shown by {@code lab cluster status} ("serve", "node", "coordinator", ...)
 * @param members the {@code host:port} addresses asked when joining, or null for every port of the range. Each
 *     address asked costs a connection attempt and leaves a Hazelcast thread idle for a minute: a sweep's nodes ask
 *     only their coordinator and the few ports after it where their peers bind, and keep asking for their
 *     coordinator, the master, rather than claim the role (ASKING_NODE_PATIENCE_SECONDS); being throwaway members,
 *     they open no endpoint for Hazelcast clients ({@link #memberEndpointOnly})
 * @param join members on other hosts ({@code host:port}, from {@code --join} or {@code cluster.join}), asked besides
 *     this host's own range; when not empty, finding nobody there is an error, not a cluster of one
 * @param eventBusOffset the clustered event bus listens on this member's Hazelcast port + this, advertised on
 *     {@code host} (a fixed port another host can be let through to); 0: any free port (sweeps, one host)
 */
public record ClusterSettings(String name, String host, int port, int portCount, boolean lite, String role,
    java.util.List<String> members, java.util.List<String> join, int eventBusOffset) {
  public ClusterSettings {
    join = join == null ? java.util.List.of() : java.util.List.copyOf(join);
  }

  public ClusterSettings(String name, String host, int port, int portCount, boolean lite, String role) {
    this(name, host, port, portCount, lite, role, null);
  }

  public ClusterSettings(String name, String host, int port, int portCount, boolean lite, String role,
      java.util.List<String> members) {
    this(name, host, port, portCount, lite, role, members, java.util.List.of(), 0);
  }

  /** The app's cluster as configured ({@code cluster.*}): what serve, {@code lab node} and cluster start join. */
  public static ClusterSettings app(io.concurrencylab.config.LabConfig config, String role, boolean lite) {
    return new ClusterSettings(config.clusterName(), config.clusterHost(), config.clusterPort(),
        config.clusterPortCount(), lite, role, null, java.util.List.of(), config.clusterEventBusPortOffset())
        .joining(config.clusterJoin());
  }

  /** The same, joining through {@code more} too (from {@code --join}; each HOST or HOST:PORT). */
  public ClusterSettings joining(java.util.List<String> more) {
    java.util.List<String> all = new java.util.ArrayList<>(join);
    for (String address : more == null ? java.util.List.<String>of() : more) {
      String normal = joinAddress(address, port);
      if (!all.contains(normal)) {
        all.add(normal);
      }
    }
    return new ClusterSettings(name, host, port, portCount, lite, role, members, all, eventBusOffset);
  }

  /**
   * {@code HOST:PORT}, or {@code HOST} alone for {@code HOST:defaultPort}, checked.
   *
   * @throws IllegalArgumentException one line naming what is wrong
   */
  public static String joinAddress(String address, int defaultPort) {
    String a = address.trim();
    int colon = a.lastIndexOf(':');
    String host = colon < 0 ? a : a.substring(0, colon);
    String port = colon < 0 ? Integer.toString(defaultPort) : a.substring(colon + 1);
    boolean ok = !host.isEmpty() && host.matches("[A-Za-z0-9.-]+") && port.matches("[0-9]{1,5}")
        && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
    if (!ok) {
      throw new IllegalArgumentException("--join takes HOST:PORT (or HOST, for port " + defaultPort
          + "), e.g. 10.0.0.1:5701; got '" + address + "'");
    }
    return host + ":" + Integer.parseInt(port);
  }

  /**
   * The command line of a node that joins this cluster as {@code lab cluster start} launches it, binding
   * {@code bindHost} and holding data while the cluster has fewer than {@code dataMembers} data members.
   */
  public java.util.List<String> nodeArgs(String bindHost, int dataMembers) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--cluster-name", name, "--host",
        bindHost != null ? bindHost : host, "--port", Integer.toString(port), "--port-count",
        Integer.toString(portCount), "--role", "node", "--event-bus-port-offset", Integer.toString(eventBusOffset()),
        "--data-members", Integer.toString(dataMembers)));
    if (!join().isEmpty()) {
      args.addAll(java.util.List.of("--join", String.join(",", join())));
    }
    return args;
  }

  /**
   * How long a node told whom to ask ({@code members}) looks for its cluster's master before it would claim the role
   * itself; it joins as soon as the master answers. A node whose coordinator is gone is stopped by its parent watch.
   */
  static final int ASKING_NODE_PATIENCE_SECONDS = 30;

  /** Member attributes (Hazelcast allows only these characters in names). */
  public static final String PID = "lab.pid";
  public static final String ROLE = "lab.role";
  public static final String STARTED = "lab.started";
  /** Set ("true") on a lite member that holds data when the cluster needs it (JoiningManager, cluster.dataMembers). */
  public static final String HOLDS_DATA_WHEN_NEEDED = "lab.holdsDataWhenNeeded";

  public ClusterSettings withRole(String role, boolean lite) {
    return new ClusterSettings(name, host, port, portCount, lite, role, members, join, eventBusOffset);
  }

  /** The same cluster, asking only {@code count} ports from {@code first} (within the range) when joining. */
  public ClusterSettings asking(int first, int count) {
    java.util.List<String> asked = new java.util.ArrayList<>();
    for (int p = Math.max(first, port); p < Math.min(first + count, port + portCount); p++) {
      asked.add(host + ":" + p);
    }
    return new ClusterSettings(name, host, port, portCount, lite, role, java.util.List.copyOf(asked), join,
        eventBusOffset);
  }

  /**
   * Hazelcast settings of the coordinator of a throwaway cluster (a sweep's, a comparison's), which only that run's
   * nodes join and which ends with them:
   * <ul>
   *   <li>A member whose connection closes is removed at once instead of after three failed reconnections
   *   (~0.4 s): on loopback, a closed connection to a node means the node is gone (killed at the end of its size,
   *   or lost).</li>
   *   <li>One thread, not three (on two cores), runs the cluster's generic operations, so the nodes' join requests
   *   are handled one after the other. The master drops a join request that arrives while another member's join is
   *   being handled on a second thread, and that node waits a fixed second before it asks again (Hazelcast 5.3's
   *   {@code TcpIpJoiner.JOIN_RETRY_WAIT_TIME}): in a bench run, 25 of 31 nodes had a request dropped, and some were
   *   let in a second late. The cluster's data (Vert.x's maps) is served by the partition threads; a member-wide
   *   read or a listener's registration passes through this one briefly.</li>
   * </ul>
   */
  public static final java.util.Map<String, String> THROWAWAY_COORDINATOR = java.util.Map.of(
      "hazelcast.connection.monitor.max.faults", "0", "hazelcast.operation.priority.generic.thread.count", "0",
      "hazelcast.operation.generic.thread.count", "1");

  /** The Hazelcast config: conf/cluster.xml of the checkout (or the copy in the jar) plus these settings. */
  public Config hazelcastConfig() {
    return hazelcastConfig(java.util.Map.of());
  }

  /**
   * The same, with Hazelcast properties of this member only over cluster.xml's, set before a node's member endpoint
   * takes the socket properties ({@link #memberEndpointOnly}).
   */
  Config hazelcastConfig(java.util.Map<String, String> properties) {
    Config config = baseConfig();
    properties.forEach(config::setProperty);
    config.setClusterName(name);
    config.setLiteMember(lite);
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(true).setPortCount(portCount);
    config.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(java.util.List.of(host));
    TcpIpConfig tcp = config.getNetworkConfig().getJoin().getTcpIpConfig();
    java.util.List<String> asked = new java.util.ArrayList<>(join); // other hosts first, then this one's range
    for (int p = port; p < port + portCount && members == null; p++) {
      asked.add(host + ":" + p); // one by one: a "5701-5720" range breaks with interfaces enabled (shared notes)
    }
    tcp.setMembers(members != null ? members : asked); // (cluster.xml's <member>s are replaced: cluster.join)
    if (members != null) { // a node of a sweep or compare: its coordinator already leads the cluster
      // Keep asking for that master rather than claiming mastership after cluster.xml's 1 s. A claim waits for
      // every peer's vote, up to Hazelcast's fixed 10 s (TcpIpJoiner.MASTERSHIP_CLAIM_TIMEOUT), and peers that start
      // together on two cores vote late: 8-node sweeps took 18-21 s instead of 10-12 s (docs/results.md, formation).
      tcp.setConnectionTimeoutSeconds(Math.max(tcp.getConnectionTimeoutSeconds(), ASKING_NODE_PATIENCE_SECONDS));
      memberEndpointOnly(config);
    }
    config.getMemberAttributeConfig().setAttribute(PID, Long.toString(ProcessHandle.current().pid()));
    config.getMemberAttributeConfig().setAttribute(ROLE, role);
    config.getMemberAttributeConfig().setAttribute(STARTED, Long.toString(System.currentTimeMillis()));
    return config;
  }

  /**
   * The same network with a member endpoint only, for a node of a sweep or compare: no Hazelcast client ever
   * connects to such a throwaway member, and without a client endpoint Hazelcast builds no client engine (its
   * message tasks, exception factory and their ~100 lambdas), the largest part of a member's start that it does not
   * need: a node's start CPU in a cluster of 8 went from ~1,030 ms to ~890 ms (docs/results.md, formation). What
   * Hazelcast itself maps from {@code <network>} to a member endpoint is carried over, and so are the
   * {@code hazelcast.socket.*} properties, which Hazelcast reads from the endpoint instead once it is there. Not
   * carried: the REST and memcache endpoints, which such a node does not serve, and TPC (off by default, which needs
   * a client endpoint).
   */
  static void memberEndpointOnly(Config config) {
    NetworkConfig network = config.getNetworkConfig();
    HazelcastProperties properties = new HazelcastProperties(config);
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
    member.setPort(network.getPort()).setPortCount(network.getPortCount())
        .setPortAutoIncrement(network.isPortAutoIncrement()).setReuseAddress(network.isReuseAddress())
        .setPublicAddress(network.getPublicAddress()).setInterfaces(network.getInterfaces())
        .setOutboundPortDefinitions(network.getOutboundPortDefinitions())
        .setSSLConfig(network.getSSLConfig()).setSocketInterceptorConfig(network.getSocketInterceptorConfig())
        .setSymmetricEncryptionConfig(network.getSymmetricEncryptionConfig())
        .setSocketKeepAlive(properties.getBoolean(ClusterProperty.SOCKET_KEEP_ALIVE))
        .setSocketKeepIdleSeconds(properties.getInteger(ClusterProperty.SOCKET_KEEP_IDLE))
        .setSocketKeepIntervalSeconds(properties.getInteger(ClusterProperty.SOCKET_KEEP_INTERVAL))
        .setSocketKeepCount(properties.getInteger(ClusterProperty.SOCKET_KEEP_COUNT))
        .setSocketTcpNoDelay(properties.getBoolean(ClusterProperty.SOCKET_NO_DELAY))
        .setSocketBufferDirect(properties.getBoolean(ClusterProperty.SOCKET_BUFFER_DIRECT))
        .setSocketSendBufferSizeKb(properties.getInteger(ClusterProperty.SOCKET_SEND_BUFFER_SIZE))
        .setSocketRcvBufferSizeKb(properties.getInteger(ClusterProperty.SOCKET_RECEIVE_BUFFER_SIZE))
        .setSocketConnectTimeoutSeconds(properties.getInteger(ClusterProperty.SOCKET_CONNECT_TIMEOUT_SECONDS))
        .setSocketLingerSeconds(properties.getInteger(ClusterProperty.SOCKET_LINGER_SECONDS));
    config.getAdvancedNetworkConfig().setMemberEndpointConfig(member).setJoin(network.getJoin())
        .setMemberAddressProviderConfig(network.getMemberAddressProviderConfig())
        .setIcmpFailureDetectorConfig(network.getIcmpFailureDetectorConfig()).setEnabled(true);
  }

  /**
   * Set by {@link NodeProcesses} on every node it launches: the SHA-256 of the cluster.xml the launching process
   * has checked against Hazelcast's schema. A node that reads the very same bytes skips the schema check, which is
   * the largest single cost of its start (Hazelcast loads and compiles its whole XSD each time; see
   * docs/results.md, the table of settings). Any other content, or no digest, is checked as usual.
   */
  public static final String CHECKED_DIGEST = "lab.cluster.xml.sha256";

  private static volatile String checkedDigest;

  /** The digest of cluster.xml as this process checked it, checking it now if it has not yet. */
  public static String checkedDigest() {
    if (checkedDigest == null) {
      baseConfig();
    }
    return checkedDigest;
  }

  /** Reads cluster.xml now; an {@link IllegalArgumentException} of one line says what is wrong with it. */
  public static void checkClusterXml() {
    baseConfig();
  }

  private static Config baseConfig() {
    byte[] xml = clusterXml();
    String digest = sha256(xml);
    boolean checked = digest.equals(checkedDigest) || digest.equals(System.getProperty(CHECKED_DIGEST));
    if (!checked) {
      wellFormed(xml);
    }
    Config config;
    try {
      config = new XmlConfigBuilder(new ByteArrayInputStream(xml)) {
        @Override
        protected void schemaValidation(Document doc) throws Exception {
          if (!checked) {
            super.schemaValidation(doc);
          }
        }
      }.build();
    } catch (InvalidConfigurationException e) { // a configuration error (exit 2, one line), not a bug of the lab
      throw new IllegalArgumentException("cluster.xml: " + readable(e.getMessage()), e);
    }
    if (config.getAdvancedNetworkConfig().isEnabled()) { // Hazelcast would then ignore every port and join set here
      throw new IllegalArgumentException("cluster.xml: <advanced-network> is not supported: the lab sets each "
          + "member's port, interface and join on <network> (cluster.* in conf/config.json); use <network> instead");
    }
    checkedDigest = digest;
    return config;
  }

  /**
   * Refuses XML that is not well-formed in one line with its position. Hazelcast's own parse would first print the
   * parser's "[Fatal Error]" and its own SEVERE lines on stderr.
   */
  private static void wellFormed(byte[] xml) {
    try {
      var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      var builder = factory.newDocumentBuilder();
      builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // throws on a fatal error, prints nothing
      builder.parse(new ByteArrayInputStream(xml));
    } catch (org.xml.sax.SAXParseException e) {
      throw new IllegalArgumentException("cluster.xml: line " + e.getLineNumber() + ", column " + e.getColumnNumber()
          + ": " + e.getMessage());
    } catch (org.xml.sax.SAXException | IOException | javax.xml.parsers.ParserConfigurationException e) {
      throw new IllegalArgumentException("cluster.xml: " + e.getMessage());
    }
  }

  /**
   * Hazelcast's message on one line, without the schema's namespace on every element name and without the list of
   * every element that may come instead (fifty of them).
   */
  static String readable(String message) {
    String line = String.join(" ", String.valueOf(message).strip().split("\\s+"))
        .replace("\"http://www.hazelcast.com/schema/config\":", "");
    int list = line.indexOf(" One of '{");
    return list < 0 ? line : line.substring(0, list) + " (the elements it may hold: Hazelcast's hazelcast-config-5.3.xsd)";
  }

  private static byte[] clusterXml() {
    String home = System.getProperty("lab.home");
    Path file = home == null ? null : Path.of(home, "conf", "cluster.xml");
    try (InputStream in = file != null && Files.exists(file) ? Files.newInputStream(file)
        : ClusterSettings.class.getResourceAsStream("/cluster.xml")) {
      if (in == null) {
        throw new IllegalStateException("cluster.xml is missing from conf/ and from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java platform has SHA-256
    }
  }

  /**
   * {@code options} for a process that serves no file from the jar (a node, a coordinator, a probe). Vert.x then
   * makes no cache folder for such files: it makes one in {@code java.io.tmpdir} for every instance otherwise, and
   * only a clean close or the JVM's shutdown hooks remove it, so every node of a sweep (killed, not closed:
   * docs/results.md, teardown) left an empty {@code vertx-cache-*} folder behind. Serve keeps the cache: its page
   * comes from the jar.
   */
  public static VertxOptions withoutJarFiles(VertxOptions options) {
    return options.setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false)
        .setFileCachingEnabled(false));
  }

  /** A clustered Vert.x that has joined; the event bus listens on {@code host} too. */
  public Future<Clustered> join(VertxOptions options) {
    return join(options, java.util.Map.of());
  }

  /**
   * The same, with Hazelcast properties of this member only (over those of cluster.xml). Fails with a
   * {@link JoinException} (one line) when this member cannot be what it was asked to be: nobody let it in through
   * {@link #join} (unreachable, or another cluster name), or its event-bus port is taken.
   */
  public Future<Clustered> join(VertxOptions options, java.util.Map<String, String> properties) {
    return join(options, properties, 0);
  }

  /**
   * The same for a member of the app's cluster, which it keeps at {@code dataMembers} data members
   * ({@code cluster.dataMembers}): a lite member (a node) becomes a data member while the cluster has fewer, and a
   * data member (a serve, a node that holds data) that leaves first asks members that stay to hold data when fewer
   * would (JoiningManager). 0 for a member that does neither (a throwaway cluster's, a {@code --lite} node). Fails
   * with a {@link HoldDataException} when a node could not become the cluster's only data member.
   */
  public Future<Clustered> join(VertxOptions options, java.util.Map<String, String> properties, int dataMembers) {
    return join(options, properties, dataMembers, false);
  }

  /**
   * Joins the app's cluster for a moment, to look or to coordinate (a {@code lab cluster status} probe, a
   * {@code lab squares --on-cluster} coordinator): as a lite member, for its data to stay where it is, that holds data
   * only when no member does (alone, or beside {@code --lite} nodes only), since Vert.x needs the cluster's maps to
   * join. A data member's join and leave each moved the maps' partitions (to it and back); status's leave took
   * ~200 ms of its ~1.1 s. Such a member that holds data and leaves asks members that stay to hold it, up to
   * {@code dataMembers}, as any data member of the app's cluster.
   */
  public Future<Clustered> joinBriefly(VertxOptions options, int dataMembers) {
    if (!lite) {
      throw new IllegalStateException("joinBriefly is for settings of a lite member");
    }
    return join(options, java.util.Map.of(), dataMembers, true);
  }

  private Future<Clustered> join(VertxOptions options, java.util.Map<String, String> properties, int dataMembers,
      boolean onlyWhenNone) {
    String notHere = notLocal(host);
    if (notHere != null) { // before Hazelcast, which logs its own stack trace for it
      return Future.failedFuture(new JoinException(notHere));
    }
    Config config = hazelcastConfig(properties);
    EventBusOptions eventBus = eventBusOptions(config);
    JoiningManager manager = new JoiningManager(config, this, eventBus, dataMembers, onlyWhenNone);
    options.setEventBusOptions(eventBus);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .recover(e -> Future.failedFuture(manager.explain(e)))
        .map(vertx -> {
          SharedJsonCodec.register(vertx.eventBus());
          io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // failures from other members decode
          if (members == null) { // the app's cluster, which lives on, and may split and merge again
            MergeSearch.keepNarrow(vertx, config.getNetworkConfig().getJoin().getTcpIpConfig(), host, port, portCount,
                join);
          }
          return new Clustered(vertx, manager);
        });
  }

  /**
   * The event bus of a member with {@code config}: on {@code host}, and giving up on a connection to another member
   * when Hazelcast gives up on that member (cluster.xml's heartbeat settings). Vert.x keeps a connection per member
   * and drops it only when it closes, or when a ping gets no pong (every 20 s, 20 s to answer, by default). A host cut
   * off and healed within that time kept its connections, stuck in TCP's backoff of retransmissions: messages to and
   * from it waited up to tens of seconds after Hazelcast had merged it back (MultiHostIT: a request through the
   * healed host timed out for 10 s in CI; its node was reached by a sweep ~7 s after it was a member again). Now a
   * connection is pinged every heartbeat interval (1 s) and closed after the no-heartbeat time (5 s) without a pong:
   * closed while the host is cut off, and opened afresh after the heal. A new connection waits as long.
   */
  EventBusOptions eventBusOptions(Config config) {
    HazelcastProperties properties = new HazelcastProperties(config);
    long ping = properties.getMillis(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS);
    long dead = properties.getMillis(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS);
    return new EventBusOptions().setHost(host).setPort(0).setClusterPingInterval(ping)
        .setClusterPingReplyInterval(dead).setConnectTimeout((int) Math.min(Integer.MAX_VALUE, dead));
  }

  /** Why {@code host} cannot be bound here, or null (loopback, the default, is not looked at). */
  public static String notLocal(String host) {
    if (host.equals("127.0.0.1")) {
      return null;
    }
    if (host.contains(":")) { // Hazelcast prefers IPv4 and logs its own stack trace for an IPv6 interface
      return "cannot bind " + host + " (cluster.host, --host): the cluster runs over IPv4; give an IPv4 address";
    }
    try {
      if (java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getByName(host)) != null) {
        return null;
      }
    } catch (java.io.IOException e) {
      return "cannot bind " + host + " (cluster.host, --host): " + e.getMessage();
    }
    return "cannot bind " + host + " (cluster.host, --host): not an address of this machine";
  }

  /** Why a member could not join as configured: one line for the user, a configuration error (exit 2). */
  public static final class JoinException extends IllegalArgumentException {
    public JoinException(String message) {
      super(message);
    }
  }

  /** A node could not become a data member of a cluster that has none: not a usage error (exit 1), but one line. */
  public static final class HoldDataException extends RuntimeException {
    public HoldDataException(String message) {
      super(message);
    }
  }

  /** A clustered Vert.x and its cluster manager (for membership). */
  public record Clustered(Vertx vertx, HazelcastClusterManager manager) {
    public String nodeId() {
      return manager.getNodeId();
    }

    /**
     * This member is stopping: from now on it leaves the clean-up after members that leave (their subscriptions and
     * node info, in the cluster's maps) to the members that stay. Nodes stopped together each cleaned up after all
     * the others, and their own leave waited for that.
     */
    public void stopping() {
      stopping(m -> false);
    }

    /**
     * The same, naming the members that leave with this one (one {@code lab cluster stop}): a data member hands its
     * data to none of them (JoiningManager#leave).
     */
    public void stopping(java.util.function.Predicate<com.hazelcast.cluster.Member> leavingWith) {
      if (manager instanceof JoiningManager joining) {
        joining.stopping(leavingWith);
      }
    }

    /**
     * Why this member, stopping, must leave the cluster rather than end at once, its process killed without a leave;
     * empty when it may: it holds no data, or what it holds has an up-to-date backup on a data member that stays and
     * nobody needs asking to hold data (JoiningManager#whyItMustLeave). Call after {@link #stopping}; blocks for
     * Hazelcast's check of the backups (at most a second).
     */
    public java.util.Optional<String> whyItMustLeave() {
      return manager instanceof JoiningManager joining ? joining.whyItMustLeave()
          : manager.getHazelcastInstance().getCluster().getLocalMember().isLiteMember() ? java.util.Optional.empty()
          : java.util.Optional.of("it holds data");
    }

    /**
     * Leaves the cluster without closing Vert.x, for a member that exits right after and holds no data: Hazelcast's
     * graceful leave alone. Vert.x's leave first takes back its listeners cluster-wide, asking every member, and
     * members that leave at the same time made that take 0.3-3 s in steps of ~1.3 s; gone with the process anyway.
     * See {@link #stopping}.
     */
    public Future<Void> leave() {
      stopping();
      return vertx.executeBlocking(() -> {
        manager.getHazelcastInstance().getLifecycleService().shutdown();
        return null;
      }, false);
    }
  }
}
