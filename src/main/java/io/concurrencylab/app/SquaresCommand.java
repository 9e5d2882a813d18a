package io.concurrencylab.app;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.NodeSource;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.RunningSweep;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.squares.ClusterNodes;
import io.concurrencylab.squares.RunHistory;
import io.concurrencylab.squares.SquaresProgram;
import io.concurrencylab.squares.Sweep;
import io.concurrencylab.squares.SweepGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
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

  @Option(names = "--sizes", split = ",", splitSynopsisLabel = ",", paramLabel = "N", description = "Cluster sizes, "
      + "comma separated, at most 16 (default: squares.sizes, 2,4,8).")
  List<Integer> sizes;
  @Option(names = "--from", paramLabel = "NUMBER", defaultValue = "1", description = "First number (default: 1).")
  long from;
  @Option(names = "--to", paramLabel = "NUMBER", defaultValue = "10", description = "Last number (default: 10).")
  long to;
  @Option(names = "--chunk", paramLabel = "COUNT", description = "Numbers per chunk (default: automatic, about four chunks per node).")
  Long chunk;
  @Option(names = "--fail-at", paramLabel = "NUMBER", description = "Q6 on purpose: the node that gets the chunk "
      + "holding NUMBER throws; the run fails with that node's exception, thread, pid and stack (default: off).")
  Long failAt;
  @Option(names = "--on-cluster", description = "Run over the nodes already in the app's cluster (lab node, lab "
      + "cluster start, on any host), joining it for the run (cluster.*, --set cluster.join=HOST:PORT), instead of "
      + "launching nodes; they are left running. Without --sizes: one size, every node.")
  boolean onCluster;

  @Override
  public Integer call() throws Exception {
    LabConfig config = options.load();
    RunRequest request;
    try {
      request = RunRequest.validated(sizes != null ? sizes : onCluster ? List.of() : config.squaresSizes(), from, to,
          chunk, failAt, onCluster ? NodeSource.CLUSTER : NodeSource.LAUNCH, config.squaresMaxNodes(),
          config.squaresMaxNumbers());
    } catch (LabException e) {
      System.err.println("lab squares: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    try { // a cluster.xml that cannot be read is the user's to fix (exit 2), not a failed run to keep in the history
      ClusterSettings.checkClusterXml();
      io.concurrencylab.config.Folders.create(config.dataDir(), "data.dir"); // the history and the nodes' logs
    } catch (IllegalArgumentException e) {
      System.err.println("lab squares: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    return onCluster ? onCluster(config, request) : launching(config, request);
  }

  /** The sweep launches its nodes, on a cluster of its own. */
  private int launching(LabConfig config, RunRequest request) throws Exception {
    String runId = Sweep.newRunId();
    RunHistory history = new RunHistory(config.dataDir());
    NodeProcesses processes = new NodeProcesses(config.squaresNodeJvmFlags(),
        config.dataDir().resolve("logs").resolve(runId))
        .watchedBy(new io.concurrencylab.squares.NodesJournal(config.dataDir(), runId)); // for serve's page
    Sweep sweep = new Sweep(config, request, runId, history, processes,
        new SquaresProgram.ProgressView(System.err, System.console() != null));
    // Ctrl-C or SIGTERM: the sweep is cancelled; it stops its nodes and records the run itself, once. Should
    // that not finish within the grace period, kill the nodes from here and leave (they would also notice we are
    // gone, at once: their stdin is a pipe from us).
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.onSignal(() -> {
      System.err.println();
      // no count here: a size may still be launching, and its teardown line below gives the nodes it stopped
      System.err.println("lab squares: interrupted, stopping the nodes it started");
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
    return reported(record, history, "every node it started is stopped");
  }

  /** How long {@code lab squares --on-cluster} waits for its record's announcement to be written to a serve. */
  private static final long PUBLISH_WRITTEN_WITHIN_S = 5;

  /**
   * The sweep runs over the nodes already in the app's cluster: joins it (as serve would, with role "squares") for
   * the run, claims the cluster's one sweep, runs, announces the record to the serves (lab.squares.finished) and
   * leaves. No node (or fewer than a size) is one line and exit 3, as is a sweep already going.
   */
  private int onCluster(LabConfig config, RunRequest request) throws Exception {
    // as lab cluster status: a lite member that moves no data, holding it only when nobody does
    ClusterSettings.Clustered joined = ClusterSettings.app(config, "squares", true)
        .joinBriefly(ClusterSettings.withoutJarFiles(new VertxOptions()), config.clusterDataMembers()).await();
    Vertx vertx = joined.vertx();
    try {
      SweepGuard guard = new SweepGuard(vertx);
      RunningSweep mine = guard.mine(Sweep.newRunId());
      ClusterNodes nodes = ClusterNodes.find(vertx).await();
      RunRequest sized;
      RunningSweep running;
      try {
        sized = nodes.sized(request);
        running = guard.claim(mine).await();
      } catch (LabException e) {
        System.err.println("lab squares: " + e.getMessage());
        return ExitCodes.FAILURE_REPLY;
      }
      if (running != null) {
        System.err.println("lab squares: a squares run is going (" + running.describe() + "): one at a time");
        return ExitCodes.FAILURE_REPLY;
      }
      RunHistory history = new RunHistory(config.dataDir());
      System.err.println("lab squares: over the cluster's nodes: " + nodes.describe());
      Sweep sweep = Sweep.over(nodes, config, sized, mine.run(), history,
          new SquaresProgram.ProgressView(System.err, System.console() != null));
      new Lifecycle().onSignal(() -> sweep.cancel("Ctrl-C or SIGTERM"));
      Future<RunRecord> done = sweep.run();
      // a serve passes on a cancel from its page, API or bus to the member running the sweep: this one
      vertx.eventBus().consumer(Addresses.squaresCancelOn(mine.nodeId()), msg -> {
        try {
          if (!SquaresMessages.Cancel.fromBody(msg.body()).run().equals(mine.run())) {
            throw new LabException(Failures.CONFLICT, "that squares run is not running here");
          }
        } catch (LabException e) {
          Failures.reply(msg, e);
          return;
        }
        sweep.cancel("on request from a serve");
        done.onSuccess(record -> msg.reply(record.toJson())).onFailure(e -> Failures.reply(msg, e));
      }).completion().await();
      RunRecord record = done.await();
      guard.release(mine).otherwiseEmpty().await();
      // the serves show it at once. Written before this member leaves: a publish left to itself could still be
      // waiting for its connection to a serve when the close below dropped it (seen in ClusterIT). The promise is
      // Vert.x's, complete once written to a serve; bounded, as no serve may be listening at all.
      vertx.eventBus().publisher(Addresses.SQUARES_FINISHED).write(record.toJson())
          .timeout(PUBLISH_WRITTEN_WITHIN_S, java.util.concurrent.TimeUnit.SECONDS).otherwiseEmpty().await();
      return reported(record, history, "the cluster's nodes it used are left running");
    } finally {
      Lifecycle.stopAndClose(vertx, Future::succeededFuture, Duration.ofSeconds(10));
    }
  }

  private static int reported(RunRecord record, RunHistory history, String nodesAfter) {
    SquaresProgram.report(record, history.appended(record.id())).forEach(System.out::println);
    if (record.cancelled()) {
      System.err.println("lab squares: run " + record.id() + " cancelled and recorded with what it measured; "
          + nodesAfter);
      return ExitCodes.INTERRUPTED;
    }
    if (!record.ok()) {
      System.err.println("lab squares: run failed: " + record.error());
      return ExitCodes.FAILURE_REPLY;
    }
    return ExitCodes.OK;
  }
}
