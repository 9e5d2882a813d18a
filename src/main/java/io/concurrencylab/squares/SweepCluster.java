package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.function.Consumer;

/**
 * A cluster of its own for one run (its own name, on {@code squares.port}), so nothing else on the machine joins
 * it or disturbs its timings, with the coordinator deployed on it.
 */
final class SweepCluster {
  final Vertx vertx;
  final Coordinator coordinator;
  private final NodeProcesses processes;

  private SweepCluster(Vertx vertx, Coordinator coordinator, NodeProcesses processes) {
    this.vertx = vertx;
    this.coordinator = coordinator;
    this.processes = processes;
  }

  static Future<SweepCluster> form(LabConfig config, RunRequest request, String runId, NodeProcesses processes,
      Consumer<Progress> progress) {
    ClusterSettings cluster = new ClusterSettings("lab-sweep-" + runId, config.clusterHost(), config.squaresPort(),
        config.clusterPortCount(), false, "coordinator");
    Coordinator.SweepPlan plan = new Coordinator.SweepPlan(runId, request, cluster, config.squaresWindow(),
        config.squaresChunkTimeoutMs(), config.squaresReadyTimeoutMs(), config.squaresStopGraceMs(),
        config.dataDir().resolve("logs").resolve(runId), config.squaresLiteNodes());
    return cluster.join(new VertxOptions()).compose(joined -> {
      joined.vertx().exceptionHandler(UnhandledExceptions::handle);
      Coordinator coordinator = new Coordinator(plan, joined.manager(), processes, progress);
      return joined.vertx().deployVerticle(coordinator)
          .map(id -> new SweepCluster(joined.vertx(), coordinator, processes))
          .recover(e -> joined.vertx().close().transform(ignored -> Future.failedFuture(e)));
    });
  }

  NodeProcesses processes() {
    return processes;
  }

  /** Stops every node this run started (whatever state it is in), then leaves the cluster. */
  Future<Void> close(long graceMs) {
    return processes.stopAll(graceMs).eventually(vertx::close);
  }
}
