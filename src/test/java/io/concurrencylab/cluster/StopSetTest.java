package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ClusterMessages.Member;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a node of lab cluster stop leaves with decides whether it hands anything over (StopSet's javadoc). */
class StopSetTest {
  @TempDir
  Path dir;

  private static Member member(long pid, String address) {
    return new Member("id-" + pid, pid, address, "node", 1_000);
  }

  @Test
  void aWholeClusterOnThisHostEndsTogether() {
    StopSet set = new StopSet(1, Set.of(10L, 11L, 12L));
    assertThat(set.endsCluster(10, "127.0.0.1:5701", List.of(member(10, "127.0.0.1:5701"),
        member(11, "127.0.0.1:5702"), member(12, "127.0.0.1:5703")))).isTrue();
    assertThat(set.endsCluster(10, "127.0.0.1:5701", List.of(member(10, "127.0.0.1:5701")))).isTrue();
  }

  @Test
  void anyoneWhoStaysGetsTheData() {
    StopSet set = new StopSet(1, Set.of(10L, 11L));
    // a serve (or any member not stopped now)
    assertThat(set.endsCluster(10, "127.0.0.1:5701", List.of(member(10, "127.0.0.1:5701"),
        member(11, "127.0.0.1:5702"), member(99, "127.0.0.1:5703")))).isFalse();
    // the same pid on another host is another process
    assertThat(set.endsCluster(10, "127.0.0.1:5701", List.of(member(10, "127.0.0.1:5701"),
        member(11, "10.0.0.2:5701")))).isFalse();
    // a node not in the set itself (signalled by someone else) leaves as usual
    assertThat(set.endsCluster(12, "127.0.0.1:5703", List.of(member(12, "127.0.0.1:5703")))).isFalse();
    // a member whose pid is unknown (-1) is not in any set
    assertThat(set.endsCluster(10, "127.0.0.1:5701", List.of(member(10, "127.0.0.1:5701"),
        member(-1, "127.0.0.1:5702")))).isFalse();
  }

  @Test
  void writtenAsItIsRead() throws Exception {
    Path file = dir.resolve("run/stopping.json");
    StopSet.write(file, ProcessHandle.current().pid(), List.of(10L, 11L));
    StopSet read = StopSet.read(file).orElseThrow();
    assertThat(read).isEqualTo(new StopSet(ProcessHandle.current().pid(), Set.of(10L, 11L)));
    assertThat(read.current()).as("written by a stop that is running (this test)").isTrue();
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left
    }
  }

  @Test
  void aSetWhoseStopIsGoneDecidesNothing() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    assertThat(new StopSet(gone.pid(), Set.of(10L)).current()).isFalse();
  }

  @Test
  void noSetOrADamagedOneIsNone() throws Exception {
    assertThat(StopSet.read(dir.resolve("none.json"))).isEmpty();
    for (String damaged : List.of("", "{", "[]", "{\"stopper\":1}", "{\"stopper\":1,\"pids\":[\"x\"]}",
        "{\"stopper\":\"a\",\"pids\":[1]}", "\u0000\u0001")) {
      Path file = dir.resolve("damaged.json");
      Files.writeString(file, damaged);
      assertThat(StopSet.read(file)).as(damaged).isEmpty();
    }
    Path big = dir.resolve("big.json");
    Files.writeString(big, "{\"stopper\":1,\"pids\":[" + "1,".repeat(40_000) + "1]}");
    assertThat(StopSet.read(big)).as("larger than a set").isEmpty();
    assertThat(StopSet.read(dir)).as("a folder").isEmpty();
  }
}
