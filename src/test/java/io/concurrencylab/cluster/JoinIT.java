package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.testing.LabProcess;
import io.vertx.core.Promise;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.NodeInfo;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --join} on one machine (127.0.0.1): a node joins through the address given and its event bus listens on
 * its Hazelcast port + cluster.eventBusPortOffset; each misconfiguration (nobody at the address, another cluster
 * name there, the event-bus port taken) is one line on stderr and exit 2, from {@code lab node}, {@code serve} and
 * {@code lab cluster start} alike. Ports 6901-6910 (Hazelcast) and 6941-6950 (event bus), used by no other test.
 */
class JoinIT {
  static final Duration CMD = Duration.ofSeconds(120);
  static final int PORT = 6901;
  static final String NAME = "join-it-" + UUID.randomUUID().toString().substring(0, 8);
  static ClusterSettings.Clustered first;

  @TempDir
  Path runDir;

  @BeforeAll
  static void firstMember() {
    // the member others join: this JVM, on the first port, its event bus on PORT + 40
    first = new ClusterSettings(NAME, "127.0.0.1", PORT, 5, false, "serve", null, List.of(), 40)
        .join(new VertxOptions()).await();
  }

  @AfterAll
  static void leave() {
    if (first != null) {
      first.vertx().close().await();
    }
  }

  private static List<String> cluster(String name, String... more) {
    return cluster(name, PORT, more);
  }

  /** A member asks its own host's range too: one where nobody is, for a join address where nobody is either. */
  private static List<String> elsewhere(String... more) {
    return cluster(NAME, PORT + 5, more);
  }

  private static List<String> cluster(String name, int port, String... more) {
    List<String> args = new ArrayList<>(List.of("--set", "cluster.name=" + name, "--set", "cluster.port=" + port,
        "--set", "cluster.portCount=5", "--set", "cluster.eventBusPortOffset=40"));
    args.addAll(List.of(more));
    return args;
  }

  private static LabProcess lab(String command, List<String> args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command.split(" ")));
    all.addAll(args);
    return LabProcess.start(all.toArray(String[]::new));
  }

  @Test
  void aNodeJoinsThroughTheAddressGivenWithItsEventBusOnTheDocumentedPort() throws Exception {
    NodeInfo mine = first.manager().getNodeInfo();
    assertThat(mine.port()).as("this member's event bus: Hazelcast port + 40").isEqualTo(PORT + 40);
    try (LabProcess node = lab("node", cluster(NAME, "--join", "127.0.0.1:" + PORT))) {
      Matcher ready = node.awaitLine(Pattern.compile("node ready: nodeId=(\\S+) .* address=\\[127\\.0\\.0\\.1\\]:(\\d+) "
          + "members=(\\d+)"), CMD);
      assertThat(Integer.parseInt(ready.group(3))).isEqualTo(2);
      int hazelcastPort = Integer.parseInt(ready.group(2));
      Promise<NodeInfo> info = Promise.promise();
      first.manager().getNodeInfo(ready.group(1), info);
      NodeInfo theirs = info.future().await();
      assertThat(theirs.host()).isEqualTo("127.0.0.1");
      assertThat(theirs.port()).as("advertised event-bus port").isEqualTo(hazelcastPort + 40);
      node.terminate();
      assertThat(node.awaitExit(CMD)).isZero();
    }
  }

  @Test
  void nobodyAtTheJoinAddressIsOneLineAndExit2() throws Exception {
    try (LabProcess node = lab("node", elsewhere("--join", "127.0.0.1:6999"))) {
      assertThat(node.awaitExit(CMD)).as(node.stderr()).isEqualTo(2);
      assertThat(node.stderr()).startsWith("lab: nobody answered at 127.0.0.1:6999 (Connection refused) within ")
          .contains("is a serve or node of cluster '" + NAME + "' running there").doesNotContain("\n");
      assertThat(node.stdoutLines()).noneMatch(l -> l.contains("node ready"));
    }
    try (LabProcess node = lab("node", elsewhere("--join", "no-such-host.invalid:6999"))) { // a typo in a name
      assertThat(node.awaitExit(CMD)).as(node.stderr()).isEqualTo(2);
      assertThat(node.stderr()).isEqualTo("lab: cannot resolve no-such-host.invalid (--join, cluster.join): no such "
          + "host name here; give an IP address or a name this machine resolves");
    }
  }

  /** A --lite node never holds data: where nobody does, it says so in one line instead of Hazelcast's exception. */
  @Test
  void aLiteNodeWhereNobodyHoldsDataIsOneLine() throws Exception {
    try (LabProcess node = lab("node --lite", elsewhere())) {
      assertThat(node.awaitExit(CMD)).as(node.stderr()).isEqualTo(1);
      assertThat(node.stderr()).isEqualTo("lab node: no member of cluster " + NAME + " holds data, and a lite member "
          + "(--lite) never does: start a serve, or a node without --lite, first");
      assertThat(node.stdoutLines()).noneMatch(l -> l.contains("node ready"));
    }
  }

  @Test
  void anotherClusterNameThereIsOneLineAndExit2() throws Exception {
    try (LabProcess node = lab("node", cluster("not-" + NAME, "--join", "127.0.0.1:" + PORT))) {
      assertThat(node.awaitExit(CMD)).as(node.stderr()).isEqualTo(2);
      assertThat(node.stderr()).isEqualTo("lab: 127.0.0.1:" + PORT + " answers, but did not let this member into "
          + "cluster 'not-" + NAME + "' within " + secondsIn(node.stderr()) + " s: is the cluster there named "
          + "otherwise (cluster.name, --cluster-name)?");
    }
    assertThat(first.manager().getNodes()).as("the cluster there is unchanged").hasSize(1);
  }

  @Test
  void anEventBusPortInUseIsOneLineAndExit2() throws Exception {
    List<ServerSocket> taken = new ArrayList<>();
    try {
      for (int p = PORT + 41; p < PORT + 45; p++) { // every event-bus port but the first member's
        taken.add(new ServerSocket(p, 1, InetAddress.getByName("127.0.0.1")));
      }
      try (LabProcess node = lab("node", cluster(NAME, "--join", "127.0.0.1:" + PORT))) {
        assertThat(node.awaitExit(CMD)).as(node.stderr()).isEqualTo(2);
        assertThat(node.stderr()).matches("lab: event-bus port 127\\.0\\.0\\.1:694\\d is in use \\(this member's "
            + "Hazelcast port 690\\d \\+ cluster\\.eventBusPortOffset 40\\): stop what holds it, or set another offset");
      }
    } finally {
      for (ServerSocket s : taken) {
        s.close();
      }
    }
  }

  @Test
  void serveAndClusterStartSayTheSame() throws Exception {
    try (LabProcess serve = lab("serve", elsewhere("--join", "127.0.0.1:6999", "--set", "http.port=0", "--set",
        "bridge.port=0"))) {
      assertThat(serve.awaitExit(CMD)).as(serve.stderr()).isEqualTo(2);
      assertThat(serve.stderr()).startsWith("lab: nobody answered at 127.0.0.1:6999").doesNotContain("\n");
    }
    try (LabProcess start = lab("cluster start 1", elsewhere("--join", "127.0.0.1:6999", "--set",
        "cluster.runDir=" + runDir))) {
      assertThat(start.awaitExit(CMD)).as(start.stderr()).isEqualTo(2);
      assertThat(start.stderr()).startsWith("lab cluster start: node 1 did not become ready: lab: nobody answered at "
          + "127.0.0.1:6999");
    }
    try (LabProcess node = lab("node", elsewhere("--host", "192.0.2.7"))) { // TEST-NET-1: on no machine
      assertThat(node.awaitExit(CMD)).isEqualTo(2);
      assertThat(node.stderr()).isEqualTo("lab: cannot bind 192.0.2.7 (cluster.host, --host): not an address of this "
          + "machine");
    }
    try (LabProcess node = lab("node", cluster(NAME, "--join", "127.0.0.1:57o1"))) {
      assertThat(node.awaitExit(CMD)).isEqualTo(2);
      assertThat(node.stderr()).isEqualTo("lab: --join takes HOST:PORT (or HOST, for port " + PORT
          + "), e.g. 10.0.0.1:5701; got '127.0.0.1:57o1'");
    }
  }

  private static String secondsIn(String line) {
    Matcher m = Pattern.compile("within (\\d+) s").matcher(line);
    return m.find() ? m.group(1) : "?";
  }
}
