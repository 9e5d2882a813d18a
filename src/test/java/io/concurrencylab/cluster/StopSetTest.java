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
    StopSet set = new StopSet(1, 0, Set.of(10L, 11L, 12L));
    assertThat(set.endsCluster(10, "127.0.0.1:5701", List.of(member(10, "127.0.0.1:5701"),
        member(11, "127.0.0.1:5702"), member(12, "127.0.0.1:5703")))).isTrue();
    assertThat(set.endsCluster(10, "127.0.0.1:5701", List.of(member(10, "127.0.0.1:5701")))).isTrue();
  }

  /** Whom a node holding data waits for before it hands its data over: the members of this stop on its host. */
  @Test
  void theMembersStoppedTooAreThoseOfTheSetOnThisHost() {
    StopSet set = new StopSet(1, 0, Set.of(10L, 11L));
    assertThat(set.stopsToo("127.0.0.1:5701", member(11, "127.0.0.1:5702"))).isTrue();
    assertThat(set.stopsToo("127.0.0.1:5701", member(99, "127.0.0.1:5703"))).isFalse();
    assertThat(set.stopsToo("127.0.0.1:5701", member(11, "10.0.0.2:5701"))).isFalse();
  }

  @Test
  void anyoneWhoStaysGetsTheData() {
    StopSet set = new StopSet(1, 0, Set.of(10L, 11L));
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
    StopSet.write(file, List.of(10L, 11L));
    StopSet read = StopSet.read(file).orElseThrow();
    ProcessHandle self = ProcessHandle.current();
    assertThat(read).isEqualTo(new StopSet(self.pid(), StopSet.started(self), Set.of(10L, 11L)));
    assertThat(read.stopperRunning()).as("written by a stop that is running (this test)").isTrue();
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left
    }
  }

  /** A process's start time: the same at each read, later for a process started later. */
  @Test
  void aStartTimeNamesOneProcess() throws Exception {
    ProcessHandle self = ProcessHandle.current();
    assertThat(StopSet.started(self)).isPositive().isEqualTo(StopSet.started(self));
    Process later = new ProcessBuilder("sleep", "30").start();
    try {
      assertThat(StopSet.started(later.toHandle())).isGreaterThanOrEqualTo(StopSet.started(self));
    } finally {
      later.destroyForcibly().waitFor();
    }
  }

  /** A stop that died leaves its file: its pid, gone, a zombie or reused by another process, decides nothing. */
  @Test
  void aSetWhoseStopIsGoneDecidesNothing() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    assertThat(new StopSet(gone.pid(), 0, Set.of(10L)).stopperRunning()).as("exited").isFalse();
    ProcessHandle self = ProcessHandle.current();
    assertThat(new StopSet(self.pid(), StopSet.started(self) - 1_000, Set.of(10L)).stopperRunning())
        .as("the pid of another process, started at another time").isFalse();
    assertThat(new StopSet(self.pid(), -1, Set.of(10L)).stopperRunning()).as("no start time known").isFalse();
    // a zombie: `sleep 0`, whose parent (sh, replaced by sleep 60) never collects it
    Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 60").start();
    try {
      long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream()))
          .readLine().trim());
      ProcessHandle handle = ProcessHandle.of(zombie).orElseThrow();
      long started = StopSet.started(handle);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (NodeProcesses.running(handle) && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // the state this waits for is the event itself: sleep 0 exiting
      }
      assertThat(handle.isAlive()).as("a zombie still counts as alive for isAlive()").isTrue();
      assertThat(new StopSet(zombie, started, Set.of(10L)).stopperRunning()).as("a zombie").isFalse();
    } finally {
      parent.destroyForcibly().waitFor();
    }
  }

  /** The file is renamed into place: a link left where it goes is replaced, and what it pointed to is untouched. */
  @Test
  void aLinkInItsPlaceIsReplacedNotFollowed() throws Exception {
    Path precious = Files.writeString(dir.resolve("precious.txt"), "keep");
    Path file = dir.resolve("stopping.json");
    Files.createSymbolicLink(file, precious);
    assertThat(StopSet.read(file)).as("a link is not read as a set").isEmpty();
    StopSet.write(file, List.of(10L));
    assertThat(Files.readString(precious)).isEqualTo("keep");
    assertThat(Files.isSymbolicLink(file)).isFalse();
    assertThat(StopSet.read(file)).isPresent();
  }

  @Test
  void aFolderInItsPlaceFailsTheWriteAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("stopping.json");
    Files.createDirectories(file.resolve("x"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StopSet.write(file, List.of(10L)))
        .isInstanceOf(java.io.IOException.class);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
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
