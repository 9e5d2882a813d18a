package io.concurrencylab.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.CompareMessages.Report;
import io.concurrencylab.bus.CompareMessages.Request;
import io.concurrencylab.bus.CompareMessages.Row;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.testing.LabProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node-process ways against real {@code lab node --compare} processes (the packaged jar), on a comparison
 * cluster of their own (ports 6701+ and 6721+, used by no other test); and {@code lab compare} as a user runs it,
 * including Ctrl-C in the middle of the node ways: every node it started is gone, whatever happened.
 */
class CompareIT {
  private static final Duration LIMIT = Duration.ofSeconds(180);

  @TempDir
  Path dir;

  @Test
  void nodeProcessesRunEveryTaskWarmAndLaunchIncludedAndNoneIsLeftAfter() throws Exception {
    LabConfig config = LabConfig.defaults().with("data.dir", dir.toString()).with("compare.port", 6701)
        .with("cluster.portCount", 10);
    Comparison.Plan plan = Comparison.Plan.of(new Request(4, 20, 2, 2, 1), config, "it").withWidths(20_000, 1_000);
    Report report = Comparison.run("it", plan, p -> { }, new Control());

    assertThat(report.ok()).as(report.error()).isTrue();
    List<Row> nodes = report.rows().stream().filter(r -> r.way().startsWith("nodes")).toList();
    assertThat(nodes).extracting(r -> r.workload().wire() + " " + r.way())
        .containsExactly("io nodes-warm", "cpu nodes-warm", "io nodes-launch", "cpu nodes-launch");
    assertThat(report.rows()).allSatisfy(r -> {
      assertThat(r.error()).as(r.label()).isNull();
      assertThat(r.checked()).as(r.label()).isEqualTo("4/4 equal");
    });
    assertThat(report.rows().stream().filter(r -> r.way().startsWith("pool"))).hasSize(4); // Python's Pool(2)
    assertThat(report.rows()).hasSize(19);
    assertThat(report.setup().getDouble("coordinatorJoinMs")).isPositive();
    assertThat(report.setup().getDouble("nodesReadyMs")).isPositive();
    // 8 warm I/O ways (3 in this JVM, the warm nodes, 4 in Python) x (warm-up + 1 run), and the two that create
    // their processes in the run (no warm-up), each x 4 tasks: every way sent every task to the server
    assertThat(report.setup().getLong("requestsAnswered")).isEqualTo((8L * 2 + 2) * 4);
    assertThat(dir.resolve("logs").resolve("compare-it").resolve("node-compare-1.log")).exists();
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(CompareIT::commandLine)
        .filter(c -> c.contains("--compare"))).as("node processes left").isEmpty();
  }

  @Test
  void ctrlCInTheMiddleStopsEveryNodeAndExits130() throws Exception {
    // 500 ms a task: the warm nodes' I/O step (a warm-up and a run of 4 tasks) lasts a second or more, so the nodes
    // are still there when this test, however slow, looks for them (at 20 ms a task: 160 ms of waiting at most)
    try (LabProcess lab = LabProcess.start("compare", "--tasks", "4", "--runs", "1", "--delay", "500", "--threads",
        "2", "--nodes", "2", "--set", "compare.port=6721", "--set", "cluster.portCount=10", "--set",
        "compare.python=no-such-python3", "--set", "data.dir=" + dir)) {
      lab.awaitErrLine(Pattern.compile("\\] I/O-bound · JVM · 2 node processes, warm"), LIMIT);
      List<ProcessHandle> nodes = lab.handle().descendants().filter(h -> commandLine(h).contains("--compare"))
          .toList();
      assertThat(nodes).as("the warm nodes, running").hasSize(2).allMatch(ProcessHandle::isAlive);

      lab.terminate();
      assertThat(lab.awaitExit(Duration.ofSeconds(60))).as(lab.stderr()).isEqualTo(130);
      for (ProcessHandle node : nodes) {
        assertThat(node.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("node " + node.pid()).isFalse();
      }
      assertThat(lab.stderr()).contains("lab compare: interrupted, stopping what it started");
      assertThat(String.join("\n", lab.stdoutLines())).contains("comparison cancelled");
    }
  }

  @Test
  void theCommandPrintsOneTableOrJsonAndRefusesBadOptions() throws Exception {
    List<String> small = List.of("compare", "--tasks", "2", "--runs", "1", "--delay", "5", "--nodes", "0",
        "--threads", "3", "--set", "data.dir=" + dir);
    try (LabProcess lab = LabProcess.start(small.toArray(String[]::new))) {
      assertThat(lab.awaitExit(LIMIT)).as(lab.stderr()).isZero();
      String out = String.join("\n", lab.stdoutLines());
      assertThat(out).contains("workload  runtime  way").contains("one event loop, non-blocking I/O")
          .contains("worker verticles, 3 threads").contains("ThreadPoolExecutor(3), warm")
          .contains("asyncio, one event loop").contains("event-loop probe")
          .contains("report kept in " + dir.resolve("compare").resolve("latest.json"));
      assertThat(lab.stdoutLines().stream().filter(l -> l.contains("2/2 equal"))).hasSize(11);
    }
    List<String> json = new java.util.ArrayList<>(small);
    json.add("--json");
    try (LabProcess lab = LabProcess.start(json.toArray(String[]::new))) {
      assertThat(lab.awaitExit(LIMIT)).as(lab.stderr()).isZero();
      Report report = Report.fromJson(new JsonObject(String.join("\n", lab.stdoutLines())));
      assertThat(report.ok()).isTrue();
      assertThat(report.rows()).hasSize(11).allMatch(Row::equal);
      assertThat(Files.readString(dir.resolve("compare").resolve("latest.json"))).contains(report.id());
    }
    try (LabProcess lab = LabProcess.start("compare", "--tasks", "0")) {
      assertThat(lab.awaitExit(LIMIT)).isEqualTo(2);
      assertThat(lab.stderr()).contains("lab compare: --tasks must be at least 1, got 0");
    }
  }

  /** From /proc: ProcessHandle.info() may show no arguments for another process. */
  private static String commandLine(ProcessHandle h) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline")).replace('\0', ' ');
    } catch (Exception gone) {
      return "";
    }
  }
}
