package io.concurrencylab.bench;

import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.squares.Rss;
import io.concurrencylab.squares.RunHistory;
import io.concurrencylab.squares.Sweep;
import io.concurrencylab.squares.WarmPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Squares on a cluster of processes, beside the lesson's {@code multiprocessing.Pool} on the same inputs: the sweep
 * as {@code lab squares} runs it (creation and teardown included: formation, the CPU a node takes to start, its
 * memory, teardown), then warm maps on nodes kept running, with the memory they reach at their busiest.
 */
public final class SquaresBench {
  /** Sweeps of sizes 1, 2, 4, 8, each the median of this many. */
  private static final int SWEEPS = 3;
  private static final List<Integer> SIZES = List.of(1, 2, 4, 8);

  private SquaresBench() {}

  public static void run(Report report, LabConfig config) throws Exception {
    sweeps(report, config);
    warm(report, config);
  }

  /** {@code lab squares --sizes 1,2,4,8 --to 10}, {@link #SWEEPS} times: each size's phases, median over the runs. */
  private static void sweeps(Report report, LabConfig config) throws Exception {
    report.title("squares: the lesson's sweep, creation and teardown included (lab squares --sizes 1,2,4,8, 1..10), "
        + "median of " + SWEEPS + " runs");
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < SWEEPS; i++) {
      String runId = "bench-" + Sweep.newRunId();
      RunRecord record = new Sweep(config, RunRequest.validated(SIZES, 1, 10, null, config.squaresMaxNodes(), 10),
          runId, new RunHistory(config.dataDir().resolve("bench")), new NodeProcesses(config.squaresNodeJvmFlags(),
          config.dataDir().resolve("logs").resolve(runId)), p -> { }).run().await();
      if (!record.ok()) {
        throw new IllegalStateException("sweep " + runId + " failed: " + record.error());
      }
      runs.add(record);
    }
    Python.Lesson py = Python.run("squares_pool.py", "10", "1", "2", "4", "8", "--cold", "3", "--warm", "5");
    String sha = runs.get(0).results().sha256();
    double[] ratios = new double[SWEEPS];
    double eightReady = 0;
    double startCpu = 0;
    double peak = 0;
    for (int size : SIZES) {
      double[] launch = phase(runs, size, SizeResult::launchMs);
      double[] teardown = phase(runs, size, SizeResult::teardownMs);
      double[] total = phase(runs, size, SizeResult::totalMs);
      double[] cpu = runs.stream().flatMap(r -> size(r, size).nodes().stream()).mapToDouble(NodeStats::startCpuMs)
          .toArray();
      double rss = runs.stream().flatMap(r -> size(r, size).nodes().stream()).mapToDouble(NodeStats::peakRssMb)
          .max().orElse(-1);
      peak = Math.max(peak, rss);
      report.figure(size + " node(s): ready / teardown / total", String.format(Locale.ROOT,
          "%s / %s / %s (ready in %,.0f-%,.0f ms; a node's start: %,.0f ms CPU; node peak RSS %.0f MB)",
          Report.millis(Report.median(launch)), Report.millis(Report.median(teardown)),
          Report.millis(Report.median(total)), min(launch), max(launch), Report.median(cpu), rss));
      report.figure("  lesson: Pool(" + size + ") created, map, closed (median of 3)", py.or(j ->
          Report.millis(j.getJsonObject("sizes").getJsonObject(Integer.toString(size)).getDouble("total_ms"))));
      if (size == 1) {
        startCpu = Report.median(cpu);
      }
      if (size == 8) {
        eightReady = Report.median(launch);
        int cores = Runtime.getRuntime().availableProcessors();
        report.figure("  floor: the CPU 8 nodes take to start, spread over every core", String.format(Locale.ROOT,
            "8 x %,.0f ms / %d cores = %s (a node's start in a cluster of 8; no waiting counted)", Report.median(cpu),
            cores, Report.millis(8 * Report.median(cpu) / cores)));
        for (int i = 0; i < SWEEPS; i++) {
          ratios[i] = killedUntilExited(size(runs.get(i), 8)) / killedUntilExited(size(runs.get(i), 1));
        }
        double[] exited8 = runs.stream().mapToDouble(r -> killedUntilExited(size(r, 8))).toArray();
        double[] exited1 = runs.stream().mapToDouble(r -> killedUntilExited(size(r, 1))).toArray();
        report.figure("teardown as the issue counts it: stop until every node process has exited", String.format(
            Locale.ROOT, "1 node: %s, 8 nodes: %s (the teardown above also waits until the coordinator's member list "
            + "no longer has them)", Report.millis(Report.median(exited1)), Report.millis(Report.median(exited8))));
      }
    }
    double ratio = Report.median(ratios);
    // the floors: what ending 8 processes costs against 1 on this machine, JVMs that do nothing, and sleep
    double[] one = new double[SWEEPS];
    double[] eight = new double[SWEEPS];
    double[] sleepers1 = new double[SWEEPS];
    double[] sleepers8 = new double[SWEEPS];
    for (int i = 0; i < SWEEPS; i++) {
      one[i] = IdleJvm.killTogether(1, config.squaresNodeJvmFlags());
      eight[i] = IdleJvm.killTogether(8, config.squaresNodeJvmFlags());
      sleepers1[i] = IdleJvm.killSleepersTogether(1);
      sleepers8[i] = IdleJvm.killSleepersTogether(8);
    }
    report.figure("  floor: idle JVMs with a node's flags, kill -9 until reaped (median of " + SWEEPS + ")",
        String.format(Locale.ROOT, "1: %s, 8: %s (%.1fx; no Vert.x, no Hazelcast: the cost of ending a process here)",
            Report.millis(Report.median(one)), Report.millis(Report.median(eight)),
            Report.median(eight) / Report.median(one)));
    report.figure("  floor: sleep processes, kill -9 until reaped (median of " + SWEEPS + ")",
        String.format(Locale.ROOT, "1: %s, 8: %s (%.1fx; one thread, no heap: ending 8 processes at once against 1 "
            + "on this machine, whatever they are)", Report.millis(Report.median(sleepers1)),
            Report.millis(Report.median(sleepers8)), Report.median(sleepers8) / Report.median(sleepers1)));
    report.figure("the squares, both sides", py.or(j -> j.getString("sha256").equals(sha)
        ? "the same (checked)" : "DIFFERENT"));
    report.figure("not in these figures", String.format(Locale.ROOT, "the coordinator's own join of the run's "
        + "cluster, once per run before its first size (%s; the lesson's parent process has nothing to join)",
        Report.millis(coordinatorJoin(config))));
    report.verdict("8 nodes ready <= 4 s (median of " + SWEEPS + ")", eightReady <= 4_000, "4 s; moonshot 3 s");
    report.verdict(String.format(Locale.ROOT, "teardown of 8 <= 2x teardown of 1, same run (stop until exited: %.1fx)",
        ratio),
        ratio <= 2, "2x; runs: " + Arrays.stream(ratios).mapToObj(r -> String.format(Locale.ROOT, "%.1fx", r)).toList());
    report.verdict(String.format(Locale.ROOT, "a node's start <= 0.6 s of CPU (alone: %.0f ms)", startCpu),
        startCpu <= 600, "0.6 s");
  }

  private static double coordinatorJoin(LabConfig config) {
    try (WarmPool pool = WarmPool.open(config, 1)) {
      return pool.coordinatorJoinMs();
    }
  }

  /** Warm maps on nodes kept running: 1..10 (two chunkings), 1..100,000 and 1..1,000,000; node memory; loss. */
  private static void warm(Report report, LabConfig config) {
    report.title("squares: warm cluster (nodes already running), median of 51 maps (7 for 1..1M) after warm-up "
        + "(1..10: after " + String.format(Locale.ROOT, "%,d", SETTLED) + " maps on each side)");
    double oneMillionOnFour = 0;
    double tenBest = Double.MAX_VALUE;
    double lossMs = 0;
    double peakOnFour = 0;
    for (int size : new int[] {2, 4}) {
      // 1..10, both sides after the same SETTLED warm-up maps: the JVMs' JIT is still compiling this path after
      // hundreds of maps (0.56-0.93 ms after 100, 0.26-0.28 ms after 2,000, measured), and warm is against warm
      Python.Lesson one = Python.run("squares_pool.py", "10", Integer.toString(size), "--chunksize", "10",
          "--cold", "1", "--warm", "51", "--warmup", Integer.toString(SETTLED));
      Python.Lesson spread = Python.run("squares_pool.py", "10", Integer.toString(size), "--chunksize", "1",
          "--cold", "1", "--warm", "51", "--warmup", Integer.toString(SETTLED));
      Python.Lesson hundredK = Python.run("squares_pool.py", "100000", Integer.toString(size), "--cold", "1",
          "--warm", "11");
      try (WarmPool pool = WarmPool.open(config, size)) {
        double tenEarly = median(pool, 10, null, WARM_UPS);
        double ten = median(pool, 10, null, SETTLED - WARM_UPS - 51);
        tenBest = Math.min(tenBest, ten);
        report.figure(String.format(Locale.ROOT, "1..10 on %d nodes, one chunk (all on one node)", size),
            String.format(Locale.ROOT, "%.2f ms (after this pool's first %d maps: %.2f ms); lesson warm Pool(%d)"
                + ".map(chunksize=10): %s", ten, WARM_UPS, tenEarly, size, one.or(j -> warmMs(j, size))));
        report.figure(String.format(Locale.ROOT, "1..10 on %d nodes, chunk 1 (spread over the nodes)", size),
            String.format(Locale.ROOT, "%.2f ms; lesson warm Pool(%d).map(chunksize=1): %s",
                median(pool, 10, 1, SETTLED - 51), size, spread.or(j -> warmMs(j, size))));
        report.figure(String.format(Locale.ROOT, "1..100,000 on %d nodes (chunks as Pool.map's)", size),
            String.format(Locale.ROOT, "%.2f ms; lesson warm Pool(%d).map: %s", median(pool, 100_000, null), size,
                hundredK.or(j -> warmMs(j, size))));
        double million = median(pool, 1_000_000, null);
        if (size == 4) {
          oneMillionOnFour = million;
          Python.Lesson py = Python.run("squares_pool.py", "1000000", "4", "--cold", "1", "--warm", "7");
          report.figure("1..1,000,000 on 4 nodes (chunks as Pool.map's: 62,500)", String.format(Locale.ROOT,
              "%.2f ms; lesson warm Pool(4).map: %s", million, py.or(j -> warmMs(j, 4) + " ("
                  + Report.faster(million, j.getJsonObject("sizes").getJsonObject("4").getDouble("warm_ms")) + ")")));
          // the peak over each node's life: its start and every map so far, the 1..1M ones the heaviest
          peakOnFour = pool.pids().stream().mapToDouble(Rss::peakMegabytes).max().orElse(-1);
          report.figure("node peak RSS (VmHWM) after those maps, 4 nodes", String.format(Locale.ROOT,
              "%.0f MB (largest of the 4; now %.0f MB)", peakOnFour,
              pool.pids().stream().mapToDouble(Rss::megabytes).max().orElse(-1)));
        } else {
          report.figure("1..1,000,000 on 2 nodes", String.format(Locale.ROOT, "%.2f ms", million));
          lossMs = pool.killOneAndTimeDetection();
          report.figure("node loss: kill -9 until the coordinator hears it left", Report.millis(lossMs));
        }
      }
    }
    double[] local = new double[7];
    for (int round = -3; round < local.length; round++) {
      long t0 = System.nanoTime();
      long[] squares = new long[1_000_000];
      for (int i = 0; i < squares.length; i++) {
        squares[i] = (long) (i + 1) * (i + 1);
      }
      if (round >= 0) {
        local[round] = (System.nanoTime() - t0) / 1e6;
      }
    }
    report.figure("baseline: 1..1,000,000 in this process, one thread (median of 7)", Report.millis(Report.median(local)));
    report.verdict("warm 1..1M on 4 nodes <= 25 ms", oneMillionOnFour <= 25, "25 ms; moonshot 15 ms");
    report.verdict("node peak RSS <= 100 MB in the same run", peakOnFour > 0 && peakOnFour <= 100, "100 MB");
    report.verdict("warm 1..10 <= 0.5 ms (best cluster size, after " + String.format(Locale.ROOT, "%,d", SETTLED)
        + " maps, as the lesson's)", tenBest <= 0.5, "0.5 ms");
    report.verdict("node loss detected <= 1 s", lossMs <= 1_000, "1 s");
  }

  private static String warmMs(io.vertx.core.json.JsonObject py, int size) {
    return String.format(Locale.ROOT, "%.2f ms", py.getJsonObject("sizes").getJsonObject(Integer.toString(size))
        .getDouble("warm_ms"));
  }

  /** From the stop of a size's nodes until the last of them had exited, from the record's timeline. */
  private static double killedUntilExited(SizeResult size) {
    return size.timeline().stream().filter(t -> t.marks() != null && t.marks().exitMs() != null
            && t.marks().stopMs() != null).mapToDouble(t -> t.marks().exitMs() - t.marks().stopMs()).max()
        .orElse(Double.NaN);
  }

  private static SizeResult size(RunRecord record, int size) {
    return record.sizes().stream().filter(s -> s.size() == size).findFirst().orElseThrow();
  }

  private static double[] phase(List<RunRecord> runs, int size, java.util.function.ToDoubleFunction<SizeResult> of) {
    return runs.stream().mapToDouble(r -> of.applyAsDouble(size(r, size))).toArray();
  }

  private static double min(double[] xs) {
    return Arrays.stream(xs).min().orElse(0);
  }

  private static double max(double[] xs) {
    return Arrays.stream(xs).max().orElse(0);
  }

  /** Warm-up maps before a median of 51 (5 before 7 for more than 100,000 numbers). */
  private static final int WARM_UPS = 100;
  /** Maps of 1..10 before the settled median, on each side (the lesson's too): the JIT has compiled the path. */
  static final int SETTLED = 2_000;

  /** Median of 51 maps (7 for more than 100,000 numbers), after warm-up maps (the nodes' JIT too). */
  private static double median(WarmPool pool, long to, Integer chunk) {
    return median(pool, to, chunk, to <= 100_000 ? WARM_UPS : 5);
  }

  private static double median(WarmPool pool, long to, Integer chunk, int warmUps) {
    for (int i = 0; i < warmUps; i++) {
      pool.map(1, to, chunk);
    }
    double[] times = new double[to <= 100_000 ? 51 : 7];
    for (int i = 0; i < times.length; i++) {
      long start = System.nanoTime();
      pool.map(1, to, chunk);
      times[i] = (System.nanoTime() - start) / 1e6;
    }
    return Report.median(times);
  }
}
