package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.TcpIpConfig;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hazelcast's split-brain search asks only the ports of this host that listen (MergeSearch's javadoc). */
class MergeSearchTest {
  @TempDir
  Path dir;

  // lines as Linux prints them (x86: addresses as little-endian numbers); 0A is LISTEN, 01 ESTABLISHED
  private static final String TCP = """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0100007F:1645 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11 1 0 100 0 0 10 0
         1: 00000000:1646 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12 1 0 100 0 0 10 0
         2: 0200007F:1647 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 13 1 0 100 0 0 10 0
         3: 0100007F:1648 0100007F:D132 01 00000000:00000000 00:00000000 00000000     0        0 14 1 0 100 0 0 10 0
      """;
  private static final String TCP6 = """
        sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0000000000000000FFFF00000100007F:1649 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21 1 0 100 0 0 10 0
         1: 00000000000000000000000000000000:164A 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 22 1 0 100 0 0 10 0
         2: 00000000000000000000000001000000:164B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 23 1 0 100 0 0 10 0
         3: 0000000000000000FFFF00000100007F:164C 0000000000000000FFFF00000100007F:ABFF 01 00000000:00000000 00:00000000 00000000     0        0 24 1 0 100 0 0 10 0
      """;

  @Test
  void aTableGivesThePortsListeningOnTheHostOrOnEveryAddress() throws Exception {
    assertThat(java.nio.ByteOrder.nativeOrder()).isEqualTo(java.nio.ByteOrder.LITTLE_ENDIAN); // the lines above
    Path tcp = Files.writeString(dir.resolve("tcp"), TCP);
    Path tcp6 = Files.writeString(dir.resolve("tcp6"), TCP6);
    // 5701 on 127.0.0.1 and 5702 on 0.0.0.0; not 5703 (127.0.0.2) nor 5704 (a connection, not a listener)
    assertThat(MergeSearch.listening(tcp, "127.0.0.1")).containsExactlyInAnyOrder(5701, 5702);
    assertThat(MergeSearch.listening(tcp, "127.0.0.2")).containsExactlyInAnyOrder(5702, 5703);
    // 5705 on ::ffff:127.0.0.1 (Java's dual-stack sockets) and 5706 on ::; not 5707 (::1) nor 5708
    assertThat(MergeSearch.listening(tcp6, "127.0.0.1")).containsExactlyInAnyOrder(5705, 5706);
    assertThat(MergeSearch.listening(dir.resolve("none"), "127.0.0.1")).as("no table").isNull();
    assertThat(MergeSearch.listening(tcp, "::1")).as("an IPv6 host: not narrowed").isNull();
    Files.writeString(dir.resolve("bad"), "  0: 0100007F:XYZ 00000000:0000 0A\n");
    assertThat(MergeSearch.listening(dir.resolve("bad"), "127.0.0.1")).as("a damaged table").isNull();
  }

  @Test
  void theListHasTheOtherHostsThenThisHostsPortsThatListen() {
    List<String> others = List.of("10.0.0.2:5701");
    assertThat(MergeSearch.members(Set.of(5701, 5703, 8080), "127.0.0.1", 5701, 5, others))
        .containsExactly("10.0.0.2:5701", "127.0.0.1:5701", "127.0.0.1:5703");
    // not known, or known wrong (this member listens in the range itself): the whole range, as configured
    assertThat(MergeSearch.members(null, "127.0.0.1", 5701, 3, others))
        .containsExactly("10.0.0.2:5701", "127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
    assertThat(MergeSearch.members(Set.of(8080), "127.0.0.1", 5701, 3, List.of()))
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
  }

  @Test
  void aRunningMembersListFollowsTheSocketsOfThisMachine() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = first.getLocalPort();
      TcpIpConfig tcp = new TcpIpConfig().setMembers(List.of("127.0.0.1:1"));
      // a range of three from the listening port: the two after it are free (or listen, and are then listed too)
      MergeSearch.keepNarrow(vertx, tcp, "127.0.0.1", port, 3, List.of("10.0.0.2:5701"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!tcp.getMembers().contains("127.0.0.1:" + port) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(tcp.getMembers()).startsWith("10.0.0.2:5701", "127.0.0.1:" + port)
          .allMatch(m -> m.equals("10.0.0.2:5701") || listening(m));
    } finally {
      vertx.close().await();
    }
  }

  private static boolean listening(String address) {
    int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
    return MergeSearch.listening("127.0.0.1").contains(port);
  }
}
