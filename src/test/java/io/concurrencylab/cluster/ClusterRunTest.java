package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab cluster's run folder: a damaged PID file is named, never fatal, and hides no other node. */
class ClusterRunTest {
  @TempDir
  Path dir;

  /** An earlier, larger start's logs go when a start numbers its nodes from where they are; recorded ones stay. */
  @Test
  void aStartRemovesTheLogsOfNodesNoLongerRecordedFromItsFirstNumberOn() throws Exception {
    ClusterRun run = new ClusterRun(dir);
    run.record(1, 4242);
    for (int i = 1; i <= 5; i++) {
      Files.writeString(run.log(i), "node " + i + "\n");
    }
    Files.writeString(dir.resolve("node-x.log"), "not a node's\n");
    Files.createDirectory(dir.resolve("node-7.log"));

    run.removeOldLogs(2);

    assertThat(run.log(1)).as("recorded").exists();
    for (int i = 2; i <= 5; i++) {
      assertThat(run.log(i)).doesNotExist();
    }
    assertThat(dir.resolve("node-x.log")).exists();
    assertThat(dir.resolve("node-7.log")).as("a folder: left").isDirectory();
    new ClusterRun(dir.resolve("none")).removeOldLogs(1); // no folder yet: nothing to do
  }

  @Test
  void damagedPidFilesAreListedApartAndTheOthersStillRead() throws Exception {
    ClusterRun run = new ClusterRun(dir);
    run.record(2, 4242);
    run.record(10, 4343);
    Files.writeString(run.pidFile(3), "abc\n");
    Files.writeString(run.pidFile(4), "");
    Files.writeString(run.pidFile(5), "1".repeat(100));
    Files.writeString(run.pidFile(6), "0\n");
    Files.writeString(run.pidFile(7), "-5\n");
    Files.createDirectory(run.pidFile(8));
    Files.writeString(dir.resolve("node-99999999999.pid"), "1\n"); // not a name lab cluster gives: not read

    ClusterRun.Contents contents = run.contents();

    assertThat(contents.nodes()).extracting(ClusterRun.Recorded::index, ClusterRun.Recorded::pid)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 4242L), org.assertj.core.groups.Tuple.tuple(10, 4343L));
    assertThat(contents.damaged()).extracting(ClusterRun.Damaged::index, ClusterRun.Damaged::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple(3, "not a PID: \"abc\""),
        org.assertj.core.groups.Tuple.tuple(4, "empty"),
        org.assertj.core.groups.Tuple.tuple(5, "longer than a PID file (32 bytes)"),
        org.assertj.core.groups.Tuple.tuple(6, "not a PID: \"0\""),
        org.assertj.core.groups.Tuple.tuple(7, "not a PID: \"-5\""),
        org.assertj.core.groups.Tuple.tuple(8, "not a regular file"));
    assertThat(run.recorded()).hasSize(2);
  }

  @Test
  void aNewNodeNeverTakesTheIndexOfADamagedPidFile() throws Exception {
    ClusterRun run = new ClusterRun(dir);
    assertThat(run.nextIndex()).isEqualTo(1);
    run.record(1, 4242);
    Files.writeString(run.pidFile(5), "garbage");
    assertThat(run.nextIndex()).isEqualTo(6);
  }

  @Test
  void theNodeIdIsReadFromTheReadyLineNearTheStartOfTheLog() throws Exception {
    ClusterRun run = new ClusterRun(dir);
    run.record(1, 4242);
    Files.writeString(run.log(1), "lab starting\nnode ready: nodeId=abc-123 pid=4242\n" + "x".repeat(3 << 20));
    assertThat(run.recorded().get(0).nodeId()).contains("abc-123");

    // a line beyond the first megabyte is not looked for (a log of days is not read whole at each status)
    Files.writeString(run.log(1), "x".repeat(ClusterRun.READY_WITHIN_BYTES) + "\nnode ready: nodeId=late pid=4242\n");
    assertThat(run.readyNodeId(1)).isEmpty();

    Files.delete(run.log(1));
    Files.createDirectory(run.log(1)); // not a file: no id, the node is still listed
    assertThat(run.recorded()).extracting(ClusterRun.Recorded::nodeId).containsExactly(Optional.empty());
  }
}
