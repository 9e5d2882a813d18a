package io.concurrencylab.bench;

import io.concurrencylab.bus.CompareMessages.Lateness;
import io.concurrencylab.bus.CompareMessages.Request;
import io.concurrencylab.bus.CompareMessages.Row;
import io.concurrencylab.bus.CompareMessages.Workload;
import io.concurrencylab.compare.Comparison;
import io.concurrencylab.compare.Control;
import io.concurrencylab.compare.LatestReport;
import io.concurrencylab.config.LabConfig;
import java.util.Locale;

/**
 * The Q1 comparison ({@code lab compare}, with its defaults) in the benchmarks: each way's row as a figure, its
 * baseline being the sequential row of its own runtime, measured in the same run. Also kept as the latest report.
 */
final class CompareBench {
  private CompareBench() {}

  static void run(Report report, LabConfig config) {
    Request request = Request.defaults();
    report.title("compare (lab compare): " + request.tasks() + " tasks per workload, several ways on the JVM and in "
        + "the lesson's Python; each way a warm-up, then the median of " + request.runs() + " runs");
    String runId = Comparison.newRunId();
    var result = Comparison.run(runId, Comparison.Plan.of(request, config, runId), p -> { }, new Control());
    new LatestReport(config.dataDir()).write(result.toJson());
    for (Row row : result.rows()) {
      String label = (row.workload() == Workload.IO ? "I/O" : "CPU") + ", " + (row.runtime().equals("jvm") ? "JVM"
          : "Python") + ": " + row.label();
      report.figure(label, row.error() != null ? row.error() : String.format(Locale.ROOT,
          "%s, %.1fx its sequential run, CPU %s, %s; %s", Report.millis(row.wallMs()), row.speedup(),
          row.cpuMs() == null ? "-" : Report.millis(row.cpuMs()), row.checked(), row.verdict()));
    }
    if (result.probe() != null) {
      report.figure("event-loop probe: timer lateness, CPU tasks on the loop", late(result.probe().onLoop()));
      report.figure("event-loop probe: timer lateness, CPU tasks on workers", late(result.probe().onWorkers()));
    }
    if (!result.ok()) {
      report.figure("comparison", result.error());
    }
  }

  private static String late(Lateness l) {
    return l == null ? "not measured" : String.format(Locale.ROOT, "up to %s (median %s)", Report.millis(l.maxMs()),
        Report.millis(l.medianMs()));
  }
}
