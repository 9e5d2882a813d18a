package io.concurrencylab.app;

import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.squares.RunHistory;
import io.concurrencylab.squares.SquaresProgram;
import io.concurrencylab.squares.Sweep;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "squares", description = "Q8: for each cluster size N, launch N node processes (their own cluster), "
    + "compute the squares of from..to, check them, stop the nodes; print the time per size and keep the run.")
final class SquaresCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--sizes", split = ",", paramLabel = "N,N,...", description = "Cluster sizes (default: squares.sizes, 2,4,8).")
  List<Integer> sizes;
  @Option(names = "--from", defaultValue = "1", description = "First number (default: 1).")
  long from;
  @Option(names = "--to", defaultValue = "10", description = "Last number (default: 10).")
  long to;
  @Option(names = "--chunk", description = "Numbers per chunk (default: automatic, about four chunks per node).")
  Long chunk;
  @Option(names = "--fail-at", paramLabel = "NUMBER", description = "Q6 on purpose: the node that gets the chunk "
      + "holding NUMBER throws; the run fails with that node's exception, thread, pid and stack (default: off).")
  Long failAt;

  @Override
  public Integer call() throws Exception {
    LabConfig config = options.load();
    RunRequest request;
    try {
      request = RunRequest.validated(sizes == null ? config.squaresSizes() : sizes, from, to, chunk, failAt,
          config.squaresMaxNodes(), config.squaresMaxNumbers());
    } catch (LabException e) {
      System.err.println("lab squares: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    String runId = Sweep.newRunId();
    RunHistory history = new RunHistory(config.dataDir());
    NodeProcesses processes = new NodeProcesses(config.squaresNodeJvmFlags(),
        config.dataDir().resolve("logs").resolve(runId));
    Sweep sweep = new Sweep(config, request, runId, history, processes,
        new SquaresProgram.ProgressView(System.err, System.console() != null));
    // Ctrl-C or SIGTERM: the sweep is cancelled; it stops its nodes and records the run itself, once. Should
    // that not finish within the grace period, kill the nodes from here and leave (they would also notice we are
    // gone, at once: their stdin is a pipe from us).
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.onSignal(() -> {
      System.err.println();
      System.err.println("lab squares: interrupted, stopping " + processes.started().size() + " node(s)");
      sweep.cancel("Ctrl-C or SIGTERM");
      Thread fallback = new Thread(() -> {
        try {
          Thread.sleep(config.squaresStopGraceMs() + 20_000);
        } catch (InterruptedException e) {
          return;
        }
        processes.killAllNow();
        Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
      });
      fallback.setDaemon(true);
      fallback.start();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(processes::killAllNow));

    RunRecord record = sweep.run().await();
    SquaresProgram.report(record, history.appended(record.id())).forEach(System.out::println);
    if (record.cancelled()) {
      System.err.println("lab squares: run " + runId + " cancelled and recorded with what it measured; every node it "
          + "started is stopped");
      return ExitCodes.INTERRUPTED;
    }
    if (!record.ok()) {
      System.err.println("lab squares: run failed: " + record.error());
      return ExitCodes.FAILURE_REPLY;
    }
    return ExitCodes.OK;
  }
}
