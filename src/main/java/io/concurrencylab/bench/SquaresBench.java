package io.concurrencylab.bench;

import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.squares.WarmPool;
import java.util.List;
import java.util.Locale;

/**
 * Squares on a cluster of processes: formation time per size, node RSS, warm compute, loss detection. Baselines
 * from the same run: the lesson's {@code multiprocessing.Pool} (when python3 is here) and the work done in-process.
 */
public final class SquaresBench {
  private SquaresBench() {}

  public static void run(Report report, LabConfig config) throws Exception {
    report.title("squares: forming a cluster of N node processes (launch until every node is ready)");
    double eightMs = 0;
    double maxRss = 0;
    for (int size : new int[] {1, 2, 4, 8}) {
      try (WarmPool pool = WarmPool.open(config, size)) {
        double rss = pool.stats().stream().mapToDouble(NodeStats::rssMb).max().orElse(-1);
        maxRss = Math.max(maxRss, rss);
        report.figure("formation, " + size + " node(s)", Report.millis(pool.formationMs())
            + String.format(Locale.ROOT, "  (node RSS up to %.0f MB)", rss));
        if (size == 8) {
          eightMs = pool.formationMs();
        }
      }
    }
    Python.poolCreation(8).ifPresentOrElse(
        ms -> report.figure("baseline: python3 multiprocessing.Pool(8) create + close", Report.millis(ms)),
        () -> report.figure("baseline: python3 multiprocessing.Pool(8)", "skipped (no python3)"));
    report.verdict("8 nodes ready <= 6 s", eightMs <= 6_000, "6 s; moonshot 4 s");
    report.verdict("node RSS <= 100 MB", maxRss <= 100, "100 MB");

    report.title("squares: warm cluster (nodes already running), median of 7 after 3 warm-up maps");
    double oneMillionOnFour = 0;
    double tenOnTwo = 0;
    for (int size : new int[] {2, 4}) {
      try (WarmPool pool = WarmPool.open(config, size)) {
        for (long to : new long[] {10, 100_000, 1_000_000}) {
          double ms = median(pool, to, size);
          report.figure("1.." + String.format(Locale.ROOT, "%,d", to) + " on " + size + " nodes", Report.millis(ms));
          if (size == 4 && to == 1_000_000) {
            oneMillionOnFour = ms;
          }
          if (size == 2 && to == 10) {
            tenOnTwo = ms;
          }
        }
        if (size == 2) {
          report.figure("node loss: kill -9 until the membership event", Report.millis(pool.killOneAndTimeDetection()));
        }
      }
    }
    long t0 = System.nanoTime();
    long[] local = new long[1_000_000];
    for (int i = 0; i < local.length; i++) {
      local[i] = (long) (i + 1) * (i + 1);
    }
    report.figure("baseline: 1..1,000,000 in this process, one thread", Report.millis((System.nanoTime() - t0) / 1e6));
    Python.warmPoolMap(4, 1_000_000).ifPresent(ms ->
        report.figure("baseline: python3 warm Pool(4).map(square, 1..1,000,000)", Report.millis(ms)));
    report.verdict("warm 1..1M on 4 nodes <= 60 ms", oneMillionOnFour <= 60, "60 ms; moonshot 40 ms");
    report.verdict("warm 1..10 <= 0.5 ms", tenOnTwo <= 0.5, "0.5 ms");
  }

  private static double median(WarmPool pool, long to, int size) {
    for (int i = 0; i < 3; i++) {
      pool.map(1, to, null, size);
    }
    double[] times = new double[7];
    for (int i = 0; i < times.length; i++) {
      long start = System.nanoTime();
      pool.map(1, to, null, size);
      times[i] = (System.nanoTime() - start) / 1e6;
    }
    return Report.median(times);
  }

  /** For the guide: which figure is which. */
  static List<String> notes() {
    return List.of("formation = launch of the JVMs until each node serves its address and answered a ping");
  }
}
