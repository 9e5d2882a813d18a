package io.concurrencylab.bench;

import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.list.ListOwnerVerticle;
import io.concurrencylab.web.BridgeVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Start-to-reply of {@code lab eb request lab.list.snapshot} against a running app: a whole JVM per call, as a
 * user types it. Baseline: {@code lab --version}, the floor of any command (JVM start, the jar, picocli).
 */
final class CliBench {
  /** The launcher's flags for eb (see launcher/lab). */
  static final List<String> EB_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  private CliBench() {}

  static void run(Report report, LabConfig config) throws Exception {
    report.title("cli: lab eb request lab.list.snapshot, start to reply (a new JVM each time)");
    Vertx vertx = Vertx.vertx();
    try {
      // what the request reaches: the list's owner, behind the event-bus bridge (as in serve)
      vertx.deployVerticle(new ListOwnerVerticle(config.listCapacity())).await();
      BridgeVerticle bridge = new BridgeVerticle(config.with("bridge.port", 0));
      vertx.deployVerticle(bridge).await();
      String port = Integer.toString(bridge.actualPort());
      double eb = median(List.of("eb", "request", "lab.list.snapshot", "--port", port, "--json"));
      double version = median(List.of("--version"));
      report.figure("lab eb request (median of 10, after 2 warm-up runs)", Report.millis(eb));
      report.figure("baseline: lab --version (JVM + jar + picocli)", Report.millis(version));
      report.verdict("eb request <= 500 ms", eb <= 500, "500 ms");
    } finally {
      vertx.close().await();
    }
  }

  private static double median(List<String> args) throws Exception {
    double[] times = new double[10];
    for (int i = -2; i < times.length; i++) {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(EB_FLAGS);
      command.addAll(List.of("-jar", NodeProcesses.jar().toString()));
      command.addAll(args);
      long start = System.nanoTime();
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("lab " + String.join(" ", args) + " failed");
      }
      if (i >= 0) {
        times[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    return Report.median(times);
  }
}
