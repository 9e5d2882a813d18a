package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.SquaresMessages.Lost;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.TaskFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquaresProgramTest {
  private static RunRecord record() throws Exception {
    SizeResult one = new SizeResult(1, 10, 900, 10, 80, 990, 0, List.of(), List.of());
    return new RunRecord("r1", "s", "f", RunRequest.validated(List.of(1), 1, 10, null, 8, 100), true, null,
        List.of(one), Sweep.results(new long[] {1, 4, 9, 16, 25, 36, 49, 64, 81, 100}, 1), Sweep.machine());
  }

  /** Not a terminal (a log, a pipe): a line as each phase starts and one as it ends, never the same line twice. */
  @Test
  void progressToAFileIsALineAPhaseStartAndEnd() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    var view = new SquaresProgram.ProgressView(new java.io.PrintStream(bytes, true,
        java.nio.charset.StandardCharsets.UTF_8), false);
    var launch = io.concurrencylab.bus.SquaresMessages.Phase.LAUNCH;
    var compute = io.concurrencylab.bus.SquaresMessages.Phase.COMPUTE;
    for (long[] p : new long[][] {{0, 2}, {1, 2}, {2, 2}, {2, 2}}) {
      view.accept(new io.concurrencylab.bus.SquaresMessages.Progress("r", 2, launch, p[0], p[1]));
    }
    for (long done : new long[] {3, 6, 10, 10}) {
      view.accept(new io.concurrencylab.bus.SquaresMessages.Progress("r", 2, compute, done, 10));
    }
    assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines()).containsExactly(
        "size 2 launch: 0/2 nodes ready", "size 2 launch: 2/2 nodes ready", "size 2 compute: 3/10 numbers",
        "size 2 compute: 10/10 numbers");
  }

  @Test
  void aFailedRunShowsWhatItMeasuredAndTheNodesStack() throws Exception {
    JsonObject origin = new JsonObject().put("type", "io.concurrencylab.squares.ForcedFailure")
        .put("message", "square(7) failed on purpose").put("thread", "vert.x-eventloop-thread-1").put("pid", 4242)
        .put("host", "box").put("stack", new JsonArray().add("at a.B.c(B.java:1)").add("Caused by: x.Y: z"));
    SizeResult stopped = new SizeResult(2, 5, 900, 3, 80, 983, 0, List.of(new Lost("n2", 4343, "left the cluster", 1),
        new Lost("n3", 4444, "left the cluster", 2, 3, 30)),
        List.of(new NodeStats("n1", 4242, 1, 5, 0.1, 40, 52, 300)), "compute",
        List.of(new TaskFailure(6, 5, "n1", 4242, origin)));
    RunRecord failed = new RunRecord("r2", "s", "f", RunRequest.validated(List.of(2), 1, 10, 5L, 7L, 8, 100),
        "failed", "a task failed on a node", List.of(stopped), null, Sweep.machine());
    List<String> lines = SquaresProgram.report(failed, true);
    assertThat(lines).noneMatch(l -> l.startsWith("Cluster size"))
        .anyMatch(l -> l.matches("\\s+2\\s+900\\.0 ms\\s+3\\.0 ms.*5 \\(pid 4242, 52 MB\\)  \\(stopped in compute\\)"))
        .contains("      lost node pid 4343 (left the cluster): 1 chunk(s) re-queued",
            "      lost node pid 4444 (left the cluster): it had answered 3 chunk(s), 30 numbers; 2 chunk(s) re-queued",
            "Task failed on a node (size 2, chunk 6..10): node pid 4242 at box, thread vert.x-eventloop-thread-1",
            "io.concurrencylab.squares.ForcedFailure: square(7) failed on purpose", "\tat a.B.c(B.java:1)",
            "Caused by: x.Y: z");
    assertThat(lines).last().isEqualTo("run r2 (failed) kept in the history");
    assertThat(RunRecord.fromJson(failed.toJson())).isEqualTo(failed);
  }

  /** Records kept before a run had a status: an interrupted one reads as cancelled, the others as done or failed. */
  @Test
  void oldRecordsReadWithAStatus() throws Exception {
    JsonObject old = record().toJson();
    old.remove("status");
    assertThat(RunRecord.fromJson(old).status()).isEqualTo("done");
    old.put("ok", false).put("error", "interrupted (Ctrl-C or SIGTERM); every node it started was stopped");
    assertThat(RunRecord.fromJson(old).status()).isEqualTo("cancelled");
    old.put("error", "all nodes were lost (2)");
    assertThat(RunRecord.fromJson(old).status()).isEqualTo("failed");
  }

  @Test
  void saysKeptOnlyWhenTheRecordIsOnDisk() throws Exception {
    assertThat(SquaresProgram.report(record(), true)).last().isEqualTo("run r1 kept in the history");
    assertThat(SquaresProgram.report(record(), false)).last().asString().contains("NOT kept");
  }
}
