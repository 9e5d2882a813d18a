package io.concurrencylab.app;

import io.concurrencylab.bus.CompareMessages.Report;
import io.concurrencylab.bus.CompareMessages.Request;
import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.compare.Comparison;
import io.concurrencylab.compare.Control;
import io.concurrencylab.compare.LatestReport;
import io.concurrencylab.compare.ReportTable;
import io.concurrencylab.config.LabConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "compare", description = "Q1 measured: the same M tasks, I/O-bound (a request to a local server that "
    + "answers after D ms) and CPU-bound (counting primes), run several ways on the JVM (one thread, one event loop, "
    + "K worker verticles, N node processes) and in the lesson's Python (one thread, ThreadPoolExecutor(K), "
    + "multiprocessing.Pool(N), asyncio). Prints one table: wall time, speed-up, CPU time, the check of every "
    + "result, and the lesson's answer each row confirms or contradicts. Under a minute with the defaults on 2 cores, "
    + "most of it starting node processes (--nodes 0: a quick run, without the process ways).")
final class CompareCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--tasks", paramLabel = "M", description = "Tasks per workload (default: 16; 1 to 64).")
  Integer tasks;
  @Option(names = "--delay", paramLabel = "MS", description = "How long the I/O server waits before it answers "
      + "(default: 50; 1 to 2000).")
  Integer delay;
  @Option(names = "--threads", paramLabel = "K", description = "Worker verticles and ThreadPoolExecutor threads "
      + "(default: the machine's cores, 2 to 4; 1 to 16).")
  Integer threads;
  @Option(names = "--nodes", paramLabel = "N", description = "JVM node processes and Pool processes (default: the "
      + "machine's cores, 2 to 4; 0 to 8; 0 leaves the process ways out).")
  Integer nodes;
  @Option(names = "--runs", paramLabel = "R", description = "Timed runs per way, after one warm-up; the median is "
      + "shown (default: 3; 1 to 9).")
  Integer runs;
  @Option(names = "--json", description = "Print the report as JSON instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    LabConfig config = options.load();
    Request request;
    try {
      request = Request.validated(tasks, delay, threads, nodes, runs);
    } catch (LabException e) {
      // the request's field names are the options' names (delayMs: --delay)
      System.err.println("lab compare: --" + e.getMessage().replaceFirst("^delayMs", "delay"));
      return ExitCodes.USAGE;
    }
    if (request.nodes() > 0) { // before minutes of other ways, not as four failed rows at the end
      try {
        ClusterSettings.checkClusterXml();
      } catch (IllegalArgumentException e) {
        System.err.println("lab compare: " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }
    String runId = Comparison.newRunId();
    Control control = new Control();
    // Ctrl-C or SIGTERM: the comparison stops what it started (nodes, Python) and reports what it measured. Should
    // that not finish in time, leave anyway: the nodes and the Python scripts watch this process and go with it.
    new Lifecycle().onSignal(() -> {
      System.err.println();
      System.err.println("lab compare: interrupted, stopping what it started");
      control.cancel();
      Thread fallback = new Thread(() -> {
        try {
          Thread.sleep(config.squaresStopGraceMs() + 20_000);
        } catch (InterruptedException e) {
          return;
        }
        Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
      });
      fallback.setDaemon(true);
      fallback.start();
    });
    Report report = Comparison.run(runId, Comparison.Plan.of(request, config, runId),
        p -> System.err.printf("lab compare: [%d/%d] %s%n", p.done() + 1, p.total(), p.step()), control);
    boolean measured = LatestReport.worthKeeping(report.toJson()); // a cancel before any row keeps the last one
    boolean kept = measured && new LatestReport(config.dataDir()).write(report.toJson());
    if (json) {
      System.out.println(report.toJson().encodePrettily());
    } else {
      ReportTable.lines(report).forEach(System.out::println);
      System.out.println(kept ? "report kept in " + new LatestReport(config.dataDir()).file() + " (the page shows it)"
          : !measured ? "report not kept: nothing measured (the last one stays)"
          : "report NOT kept (see the warning above)");
    }
    if (control.isCancelled()) {
      return ExitCodes.INTERRUPTED;
    }
    return report.ok() ? ExitCodes.OK : ExitCodes.FAILURE_REPLY;
  }
}
