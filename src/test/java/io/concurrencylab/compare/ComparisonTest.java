package io.concurrencylab.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.concurrencylab.bus.CompareMessages.Progress;
import io.concurrencylab.bus.CompareMessages.Report;
import io.concurrencylab.bus.CompareMessages.Request;
import io.concurrencylab.bus.CompareMessages.Row;
import io.concurrencylab.bus.CompareMessages.Workload;
import io.concurrencylab.config.LabConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment, not its timing, with the lesson's real Python: every way runs the M tasks (the I/O server counts
 * the requests) and gets the reference's results; every row exists, with its figures or its error; a Python script
 * that fails, hangs or cannot run shows why in its rows; a cancel ends it early. The node-process ways: CompareIT.
 */
class ComparisonTest {
  /** Small and quick: 4 tasks, 2 timed runs, tiny CPU tasks; no node processes (their test is an IT). */
  private static final Request SMALL = new Request(4, 20, 2, 0, 2);

  @TempDir
  Path dir;

  @BeforeAll
  static void needsPython() {
    if (new PythonSide("python3", PythonSide.lessonDir(), 10_000).unavailable() == null) {
      return;
    }
    String why = "ComparisonTest runs the lesson's scripts with python3 (Debian: apt-get install python3)";
    if ("true".equals(System.getenv("CI"))) {
      fail(why + "; CI=true, so a missing python3 fails the build");
    }
    Assumptions.abort(why + "; skipped");
  }

  private Comparison.Plan plan(Request request) {
    return Comparison.Plan.of(request, LabConfig.defaults().with("data.dir", dir.toString()), "test")
        .withWidths(2_000, 200);
  }

  @Test
  void everyWayRunsEveryTaskAndGetsTheReferenceResults() {
    Report report = Comparison.run("t1", plan(SMALL), p -> { }, new Control());

    assertThat(report.ok()).as(report.error()).isTrue();
    assertThat(report.rows()).extracting(r -> r.workload().wire() + " " + r.runtime() + " " + r.way()).containsExactly(
        "io jvm sequential", "io jvm event-loop", "io jvm workers",
        "cpu jvm sequential", "cpu jvm event-loop", "cpu jvm workers",
        "io python sequential", "io python threads", "io python asyncio",
        "cpu python sequential", "cpu python threads");
    for (Row row : report.rows()) {
      assertThat(row.error()).as(row.label()).isNull();
      assertThat(row.equal()).as(row.label() + ": " + row.checked()).isTrue();
      assertThat(row.checked()).as(row.label()).isEqualTo("8/8 equal"); // 4 tasks x 2 timed runs, each checked
      assertThat(row.runsMs()).hasSize(2);
      assertThat(row.wallMs()).isPositive();
      assertThat(row.speedup()).isPositive();
      assertThat(row.verdict()).as(row.label()).isIn("baseline", "confirms", "contradicts", "inconclusive");
    }
    // Every way sent its M tasks to the server, warm-up included: 6 I/O ways x (1 + 2 runs) x 4 tasks.
    assertThat(report.setup().getLong("requestsAnswered")).isEqualTo(6L * 3 * 4);
    assertThat(report.setup().getString("python")).startsWith("CPython");
    // measured beside both CPU ways (what it tells apart: LoopProbeTest; these tasks are too small to block it)
    assertThat(report.probe().onLoop()).isNotNull();
    assertThat(report.probe().onWorkers()).isNotNull();

    List<String> table = ReportTable.lines(report);
    assertThat(table.stream().filter(l -> l.contains("8/8 equal"))).hasSize(report.rows().size());
    assertThat(String.join("\n", table)).contains("event-loop probe").contains("asyncio, one event loop");
    assertThat(Report.fromJson(report.toJson())).isEqualTo(report);
  }

  @Test
  void aPythonScriptThatFailsShowsItsErrorInEachOfItsRows() throws Exception {
    Path lesson = lessonWith("compare_cpu.py", "import sys\nraise ZeroDivisionError('division by zero')\n");
    Report report = Comparison.run("t2", plan(new Request(2, 5, 2, 0, 1)).withPython("python3", lesson, 60_000),
        p -> { }, new Control());

    List<Row> cpu = python(report, Workload.CPU);
    assertThat(cpu).extracting(Row::way).containsExactly("sequential", "threads");
    assertThat(cpu).allSatisfy(r -> {
      assertThat(r.error()).isEqualTo("failed: compare_cpu.py exited with 1: ZeroDivisionError: division by zero");
      assertThat(r.wallMs()).isNull();
      assertThat(r.equal()).isFalse();
    });
    assertThat(python(report, Workload.IO)).allSatisfy(r -> assertThat(r.error()).isNull());
    assertThat(ReportTable.lines(report).stream().filter(l -> l.contains("ZeroDivisionError"))).hasSize(2);
    assertThat(report.toJson().encode()).doesNotContain("null division").contains("ZeroDivisionError");
  }

  @Test
  void aPythonScriptOverTheTimeoutIsKilledWithEveryProcessItStarted() throws Exception {
    Path lesson = lessonWith("compare_io.py", "import multiprocessing, time\n"
        + "if __name__ == '__main__':\n"
        + "    pool = multiprocessing.Pool(2)\n"
        + "    time.sleep(600)\n");
    Report report = Comparison.run("t3", plan(new Request(2, 5, 2, 0, 1)).withPython("python3", lesson, 3_000),
        p -> { }, new Control());

    assertThat(python(report, Workload.IO)).hasSize(3).allSatisfy(r -> assertThat(r.error())
        .isEqualTo("failed: compare_io.py timed out after 3000 ms (compare.pythonTimeoutMs); it and its processes "
            + "were killed"));
    assertThat(running(lesson)).as("processes of " + lesson + " still running").isEmpty();
  }

  /**
   * A cancel (Ctrl-C) during a Python step: the comparison ends only once the script and its Pool's workers are gone
   * (it ended when the script alone had, up to a second before the last worker: `lab compare` said it had stopped
   * what it started while workers still ran).
   */
  @Test
  void aCancelDuringAPythonStepEndsOnlyOnceItsPoolIsGone() throws Exception {
    Path up = dir.resolve("pool-up.fifo"); // the script says its Pool is up through it: the test waits for that
    assertThat(new ProcessBuilder("mkfifo", up.toString()).start().waitFor()).isZero();
    Path lesson = lessonWith("compare_io.py", "import multiprocessing, time\n"
        + "if __name__ == '__main__':\n"
        + "    pool = multiprocessing.Pool(4)\n"
        + "    with open('" + up + "', 'w') as up:\n"
        + "        up.write('up')\n"
        + "    time.sleep(600)\n");
    Control control = new Control();
    CompletableFuture<Report> report = CompletableFuture.supplyAsync(() -> Comparison.run("t6",
        plan(new Request(2, 5, 2, 0, 1)).withPython("python3", lesson, 120_000), p -> { }, control));
    assertThat(CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readString(up); // returns once the script has written and closed it
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(60, TimeUnit.SECONDS)).isEqualTo("up");
    assertThat(running(lesson)).as("the script and its Pool's workers").hasSize(5);
    CompletableFuture.runAsync(control::cancel); // as the signal's thread does, beside the comparison's own

    Report cancelled = report.get(60, TimeUnit.SECONDS);
    assertThat(running(lesson)).as("processes of " + lesson + " running when the comparison ended").isEmpty();
    assertThat(cancelled.error()).isEqualTo("cancelled");
  }

  /**
   * A script that ends and leaves a process of its own behind (here: killed, with a child it forked; a Ctrl-C did
   * that to a Pool's workers): the child, now another's, is killed as the script's run ends.
   */
  @Test
  void whatAScriptLeavesBehindEndsWithIt() throws Exception {
    Path up = dir.resolve("child-up.fifo");
    assertThat(new ProcessBuilder("mkfifo", up.toString()).start().waitFor()).isZero();
    Path lesson = lessonWith("compare_io.py", "import os, time\n"
        + "if __name__ == '__main__':\n"
        + "    if os.fork() == 0:\n"
        + "        time.sleep(600)\n"
        + "        os._exit(0)\n"
        + "    with open('" + up + "', 'w') as up:\n"
        + "        up.write(str(os.getpid()))\n"
        + "    time.sleep(600)\n");
    CompletableFuture<Report> report = CompletableFuture.supplyAsync(() -> Comparison.run("t7",
        plan(new Request(2, 5, 2, 0, 1)).withPython("python3", lesson, 120_000), p -> { }, new Control()));
    long script = Long.parseLong(CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readString(up); // once the script has forked its child and written its pid
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(60, TimeUnit.SECONDS));
    assertThat(running(lesson)).as("the script and its child").hasSize(2);
    // SIGKILL: a SIGINT would do in a terminal, but a shell's background job (as CI may be) ignores SIGINT
    assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(script)).start().waitFor()).isZero();

    Report done = report.get(120, TimeUnit.SECONDS);
    assertThat(python(done, Workload.IO)).allSatisfy(r -> assertThat(r.error())
        .startsWith("failed: compare_io.py exited with 137"));
    assertThat(running(lesson)).as("processes of " + lesson + " running after its run").isEmpty();
  }

  @Test
  void withoutPythonItsRowsSaySkippedAndWhy() {
    Report report = Comparison.run("t4", plan(new Request(2, 5, 2, 0, 1))
        .withPython("no-such-python3", PythonSide.lessonDir(), 60_000), p -> { }, new Control());

    assertThat(report.rows().stream().filter(r -> r.runtime().equals("python"))).hasSize(5).allSatisfy(r ->
        assertThat(r.error()).isEqualTo("skipped: no no-such-python3 on this machine (compare.python)"));
    assertThat(report.rows().stream().filter(r -> r.runtime().equals("jvm"))).hasSize(6)
        .allSatisfy(r -> assertThat(r.equal()).isTrue());
    assertThat(String.join("\n", ReportTable.lines(report))).contains("Python: skipped: no no-such-python3");
  }

  @Test
  void aCancelEndsItEarlyWithWhatWasMeasured() throws Exception {
    Control control = new Control();
    CountDownLatch sequentialBegan = new CountDownLatch(1);
    // long enough that only a cancel ends it soon: 16 sequential requests of 1 s each, per run
    CompletableFuture<Report> report = CompletableFuture.supplyAsync(() -> Comparison.run("t5",
        plan(new Request(16, 1_000, 2, 0, 3)), (Progress p) -> {
          if (p.step().startsWith("I/O-bound · JVM · one thread")) {
            sequentialBegan.countDown();
          }
        }, control));
    assertThat(sequentialBegan.await(60, TimeUnit.SECONDS)).isTrue();
    control.cancel();
    Report cancelled = report.get(30, TimeUnit.SECONDS);

    assertThat(cancelled.ok()).isFalse();
    assertThat(cancelled.error()).isEqualTo("cancelled");
    assertThat(cancelled.rows()).isEmpty(); // the first way was still running
    assertThat(String.join("\n", ReportTable.lines(cancelled))).contains("comparison cancelled");
  }

  /** The real lesson's scripts in a folder of their own, one of them replaced. */
  private Path lessonWith(String script, String text) throws Exception {
    Path lesson = Files.createDirectories(dir.resolve("lesson"));
    for (String name : List.of("compare_ways.py", "compare_io.py", "compare_cpu.py")) {
      Files.copy(PythonSide.lessonDir().resolve(name), lesson.resolve(name));
    }
    Files.writeString(lesson.resolve(script), text);
    return lesson;
  }

  private static List<Row> python(Report report, Workload workload) {
    return report.rows().stream().filter(r -> r.runtime().equals("python") && r.workload() == workload)
        .collect(Collectors.toList());
  }

  /** Live processes whose command line names {@code path} (from /proc; a Pool's workers carry their parent's). */
  private static List<Long> running(Path path) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> {
      try {
        return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).contains(path.toString());
      } catch (Exception gone) {
        return false;
      }
    }).map(ProcessHandle::pid).toList();
  }
}
