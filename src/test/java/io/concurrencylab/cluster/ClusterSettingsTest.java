package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/cluster.xml is checked against Hazelcast's schema, except by a node given the digest of what its launcher checked. */
class ClusterSettingsTest {
  @TempDir
  Path home;
  private String savedHome;
  private String savedDigest;
  private final ClusterSettings settings = new ClusterSettings("test", "127.0.0.1", 6400, 5, true, "node");

  @BeforeEach
  void remember() {
    savedHome = System.getProperty("lab.home");
    savedDigest = System.getProperty(ClusterSettings.CHECKED_DIGEST);
    System.setProperty("lab.home", home.toString());
    System.clearProperty(ClusterSettings.CHECKED_DIGEST);
  }

  @AfterEach
  void restore() {
    set("lab.home", savedHome);
    set(ClusterSettings.CHECKED_DIGEST, savedDigest);
  }

  @Test
  void theCheckoutsClusterXmlIsReadAndItsDigestKept() throws Exception {
    String xml = bundled().replace("<property name=\"hazelcast.partition.count\">31</property>",
        "<property name=\"hazelcast.partition.count\">37</property>");
    write(xml);

    Config config = settings.hazelcastConfig();

    assertThat(config.getProperty("hazelcast.partition.count")).isEqualTo("37");
    assertThat(config.getClusterName()).isEqualTo("test");
    assertThat(config.isLiteMember()).isTrue();
    assertThat(ClusterSettings.checkedDigest()).isEqualTo(sha256(xml));
  }

  @Test
  void contentAgainstTheSchemaIsRefused() throws Exception {
    write(misspelled());

    assertThatThrownBy(settings::hazelcastConfig).isInstanceOf(IllegalArgumentException.class) // exit 2, one line
        .hasMessageStartingWith("cluster.xml: ").hasMessageContaining("element '{heartbeat-intervall}'")
        .hasMessageNotContaining("\n").hasMessageNotContaining("http://").hasMessageNotContaining("cp-subsystem");
  }

  /** XML cut short is one line with where, and nothing printed by the parser or Hazelcast before it. */
  @Test
  void xmlThatIsNotWellFormedIsOneLineWithWhere() throws Exception {
    write(bundled().substring(0, 600));
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThatThrownBy(settings::hazelcastConfig).isInstanceOf(IllegalArgumentException.class)
          .hasMessageMatching("cluster\\.xml: line \\d+, column \\d+: XML document structures must start and end "
              + "within the same entity\\.");
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void anAdvancedNetworkIsRefusedRatherThanIgnored() throws Exception {
    // in place of <network> (Hazelcast itself refuses both together)
    write(bundled().replaceFirst("(?s)\\n  <network>.*</network>", "\n  <advanced-network enabled=\"true\">"
        + "<member-server-socket-endpoint-config><port>6500</port></member-server-socket-endpoint-config>"
        + "</advanced-network>"));

    assertThatThrownBy(settings::hazelcastConfig).hasMessageContaining("<advanced-network> is not supported");
  }

  @Test
  void aNodeGivenTheDigestOfTheSameBytesDoesNotCheckThemAgain() throws Exception {
    String xml = misspelled();
    write(xml);
    System.setProperty(ClusterSettings.CHECKED_DIGEST, sha256(xml));

    Config config = settings.hazelcastConfig(); // the schema check would refuse it (test above)

    assertThat(config.getClusterName()).isEqualTo("test");
  }

  @Test
  void aDigestOfOtherBytesChangesNothing() throws Exception {
    write(misspelled());
    System.setProperty(ClusterSettings.CHECKED_DIGEST, sha256(bundled()));

    assertThatThrownBy(settings::hazelcastConfig).hasMessageContaining("heartbeat-intervall");
  }

  /** An IPv6 host fails in one line before Hazelcast, which would log an ERROR and a stack trace for it. */
  @Test
  void anIpv6HostIsRefusedBeforeHazelcast() {
    assertThat(ClusterSettings.notLocal("::1")).isEqualTo("cannot bind ::1 (cluster.host, --host): the cluster runs "
        + "over IPv4; give an IPv4 address");
    assertThat(ClusterSettings.notLocal("127.0.0.1")).isNull();
  }

  @Test
  void membersAskedAreTheRangeOrTheGivenPortsWithinIt() throws Exception {
    write(bundled());
    ClusterSettings range = new ClusterSettings("test", "127.0.0.1", 6400, 5, true, "node");

    assertThat(range.hazelcastConfig().getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:6400", "127.0.0.1:6401", "127.0.0.1:6402", "127.0.0.1:6403", "127.0.0.1:6404");
    assertThat(range.asking(6402, 2).hazelcastConfig().getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:6402", "127.0.0.1:6403");
    assertThat(range.asking(6403, 11).members()).as("never past the range").containsExactly("127.0.0.1:6403",
        "127.0.0.1:6404");
    assertThat(range.asking(6403, 11).hazelcastConfig().getNetworkConfig().getPortCount())
        .as("binding still uses the whole range").isEqualTo(5);
  }

  /**
   * The event bus gives up on a connection when Hazelcast gives up on its member: pinged every heartbeat interval,
   * closed after the no-heartbeat time without a pong (Vert.x's 20 s and 20 s left a healed host's connections stuck
   * in TCP's backoff: MultiHostIT), and a new connection waits as long.
   */
  @Test
  void theEventBusGivesUpOnAConnectionAsHazelcastGivesUpOnAMember() throws Exception {
    write(bundled());
    var bus = settings.eventBusOptions(settings.hazelcastConfig());
    assertThat(bus.getClusterPingInterval()).as("cluster.xml's heartbeat interval").isEqualTo(1_000);
    assertThat(bus.getClusterPingReplyInterval()).as("cluster.xml's max no heartbeat").isEqualTo(5_000);
    assertThat(bus.getConnectTimeout()).isEqualTo(5_000);
    assertThat(bus.getHost()).isEqualTo("127.0.0.1");

    write(bundled().replace("<property name=\"hazelcast.max.no.heartbeat.seconds\">5</property>",
        "<property name=\"hazelcast.max.no.heartbeat.seconds\">7</property>"));
    assertThat(settings.eventBusOptions(settings.hazelcastConfig()).getClusterPingReplyInterval())
        .as("follows cluster.xml").isEqualTo(7_000);
  }

  /**
   * A node told whom to ask joins a cluster its coordinator leads: it keeps asking for that master instead of
   * claiming mastership after cluster.xml's second. Whoever may start a cluster alone (a coordinator, serve,
   * lab cluster start's first node) still becomes master after that second.
   */
  @Test
  void onlyANodeToldWhomToAskWaitsForItsMaster() throws Exception {
    write(bundled());
    ClusterSettings coordinator = new ClusterSettings("test", "127.0.0.1", 6400, 5, false, "coordinator");
    assertThat(coordinator.hazelcastConfig().getNetworkConfig().getJoin().getTcpIpConfig()
        .getConnectionTimeoutSeconds()).as("cluster.xml's").isEqualTo(1);
    assertThat(coordinator.asking(6400, 3).withRole("squares-node", true).hazelcastConfig().getNetworkConfig()
        .getJoin().getTcpIpConfig().getConnectionTimeoutSeconds())
        .isEqualTo(ClusterSettings.ASKING_NODE_PATIENCE_SECONDS);
  }

  /**
   * A sweep's or compare's node opens no endpoint for Hazelcast clients (so Hazelcast builds no client engine), and
   * keeps everything of cluster.xml's network that the member endpoint takes over: ports, interfaces, the join, and
   * the socket properties. Anyone else keeps the classic network, which serves clients too.
   */
  @Test
  void onlyANodeToldWhomToAskOpensAMemberEndpointAlone() throws Exception {
    write(bundled().replace("<properties>",
        "<properties>\n    <property name=\"hazelcast.socket.receive.buffer.size\">64</property>"));
    ClusterSettings coordinator = new ClusterSettings("test", "127.0.0.1", 6400, 5, false, "coordinator");
    assertThat(coordinator.hazelcastConfig().getAdvancedNetworkConfig().isEnabled()).isFalse();

    Config node = coordinator.asking(6400, 3).withRole("squares-node", true).hazelcastConfig();
    AdvancedNetworkConfig network = node.getAdvancedNetworkConfig();
    assertThat(network.isEnabled()).isTrue();
    assertThat(network.getEndpointConfigs()).containsOnlyKeys(EndpointQualifier.MEMBER);
    ServerSocketEndpointConfig member = (ServerSocketEndpointConfig) network.getEndpointConfigs()
        .get(EndpointQualifier.MEMBER);
    assertThat(member.getPort()).isEqualTo(6400);
    assertThat(member.getPortCount()).isEqualTo(5);
    assertThat(member.isPortAutoIncrement()).isTrue();
    assertThat(member.getInterfaces().isEnabled()).isTrue();
    assertThat(member.getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(member.getSocketRcvBufferSizeKb()).as("hazelcast.socket.receive.buffer.size").isEqualTo(64);
    assertThat(member.getSocketConnectTimeoutSeconds()).as("hazelcast.socket.connect.timeout.seconds' default, not"
        + " the endpoint's 0").isEqualTo(10);
    assertThat(member.getSocketLingerSeconds()).as("hazelcast.socket.linger.seconds' default").isEqualTo(-1);
    assertThat(network.getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:6400", "127.0.0.1:6401", "127.0.0.1:6402");
    assertThat(network.getJoin().getTcpIpConfig().getConnectionTimeoutSeconds())
        .isEqualTo(ClusterSettings.ASKING_NODE_PATIENCE_SECONDS);
    assertThat(((ServerSocketEndpointConfig) coordinator.asking(6400, 3).withRole("squares-node", true)
        .hazelcastConfig(java.util.Map.of("hazelcast.socket.receive.buffer.size", "32")).getAdvancedNetworkConfig()
        .getEndpointConfigs().get(EndpointQualifier.MEMBER)).getSocketRcvBufferSizeKb())
        .as("a property of this member only reaches its endpoint too").isEqualTo(32);
  }

  /** Such a node joins a coordinator that has the classic network, and each sees the other (real members). */
  @Test
  void aNodeWithAMemberEndpointAloneJoinsItsCoordinator() throws Exception {
    write(bundled());
    ClusterSettings coordinator = new ClusterSettings("test-" + ProcessHandle.current().pid(), "127.0.0.1", 6430, 5,
        false, "coordinator");
    HazelcastInstance first = Hazelcast.newHazelcastInstance(coordinator.hazelcastConfig());
    try {
      int port = first.getCluster().getLocalMember().getAddress().getPort();
      HazelcastInstance node = Hazelcast.newHazelcastInstance(
          coordinator.asking(port, 3).withRole("squares-node", true).hazelcastConfig());
      try {
        assertThat(node.getCluster().getMembers()).hasSize(2);
        assertThat(first.getCluster().getMembers()).hasSize(2);
      } finally {
        node.getLifecycleService().terminate();
      }
    } finally {
      first.getLifecycleService().terminate();
    }
  }

  @Test
  void joinAddressesAreAskedFirstThenThisHostsRange() throws Exception {
    write(bundled());
    io.concurrencylab.config.LabConfig config = io.concurrencylab.config.LabConfig.load(null, java.util.Map.of(),
        java.util.List.of("cluster.join=10.0.0.1:5701", "cluster.host=10.0.0.2", "cluster.port=6400",
            "cluster.portCount=3"));
    ClusterSettings app = ClusterSettings.app(config, "node", false).joining(java.util.List.of("10.0.0.3",
        "10.0.0.1:5701"));

    assertThat(app.join()).as("HOST alone takes cluster.port; no address twice")
        .containsExactly("10.0.0.1:5701", "10.0.0.3:6400");
    assertThat(app.eventBusOffset()).isEqualTo(40);
    Config hazelcast = app.hazelcastConfig();
    assertThat(hazelcast.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly(
        "10.0.0.1:5701", "10.0.0.3:6400", "10.0.0.2:6400", "10.0.0.2:6401", "10.0.0.2:6402");
    assertThat(hazelcast.getNetworkConfig().getInterfaces().getInterfaces()).as("binds and advertises cluster.host")
        .containsExactly("10.0.0.2");
    assertThat(hazelcast.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(app.withRole("serve", false).join()).as("kept by withRole").hasSize(2);
  }

  @Test
  void sweepsKeepTheirFastPathNoJoinAndAnyEventBusPort() {
    ClusterSettings sweep = new ClusterSettings("lab-sweep-1", "127.0.0.1", 5801, 20, true, "coordinator");
    assertThat(sweep.join()).isEmpty();
    assertThat(sweep.eventBusOffset()).isZero();
    assertThat(sweep.asking(5801, 3).eventBusOffset()).isZero();
  }

  @Test
  void aBadJoinAddressIsOneLine() {
    for (String bad : new String[] {"", ":5701", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:70000", "10.0.0.1:57o1",
        "a b:5701"}) {
      assertThatThrownBy(() -> ClusterSettings.joinAddress(bad, 5701)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--join takes HOST:PORT");
    }
    assertThat(ClusterSettings.joinAddress(" host-1.lan ", 5701)).isEqualTo("host-1.lan:5701");
  }

  /** Valid XML, but an element the schema does not know (the DOM reader ignores it). */
  private static String misspelled() throws Exception {
    return bundled().replace("<network>", "<heartbeat-intervall>1</heartbeat-intervall>\n  <network>");
  }

  private static String bundled() throws Exception {
    return Files.readString(Path.of("conf", "cluster.xml"));
  }

  private void write(String xml) throws Exception {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("cluster.xml"), xml);
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void set(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
