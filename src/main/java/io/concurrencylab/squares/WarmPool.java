package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import java.util.List;

/**
 * The cluster as a pool (the lesson's Q2): N node processes launched once and reused for many maps, so the cost
 * of forming it is paid once. Blocking methods, for plain threads (the benchmark, a main): never an event loop.
 */
public final class WarmPool implements AutoCloseable {
  private final SweepCluster cluster;
  private final LabConfig config;
  private final double formationMs;

  private WarmPool(SweepCluster cluster, LabConfig config, double formationMs) {
    this.cluster = cluster;
    this.config = config;
    this.formationMs = formationMs;
  }

  /** Forms a cluster of its own and launches {@code size} nodes; returns once all of them are ready. */
  public static WarmPool open(LabConfig config, int size) {
    String runId = "pool-" + Sweep.newRunId();
    NodeProcesses processes = new NodeProcesses(config.squaresNodeJvmFlags(),
        config.dataDir().resolve("logs").resolve(runId));
    RunRequest request = RunRequest.validated(List.of(size), 1, 1, null, config.squaresMaxNodes(), 1);
    SweepCluster cluster = SweepCluster.form(config, request, runId, processes, p -> { }).await();
    long start = System.nanoTime();
    try {
      cluster.coordinator.onContext(() -> cluster.coordinator.ready(size)).await();
    } catch (RuntimeException e) {
      cluster.close(config.squaresStopGraceMs()).await();
      throw e;
    }
    return new WarmPool(cluster, config, (System.nanoTime() - start) / 1e6);
  }

  /** Launch until every node was ready (the formation time). */
  public double formationMs() {
    return formationMs;
  }

  /** The squares of from..to, checked, in order ({@code chunk} null: automatic). */
  public long[] map(long from, long to, Integer chunk, int size) {
    long count = to - from + 1;
    int c = chunk != null ? chunk : Scheduler.autoChunk(count, size);
    return cluster.coordinator.onContext(() -> cluster.coordinator.compute(from, count, c)).await();
  }

  /** kill -9 of one node, and the time until Hazelcast reports it gone (ms); the pool has one node less after. */
  public double killOneAndTimeDetection() throws Exception {
    java.util.concurrent.CompletableFuture<String> left = new java.util.concurrent.CompletableFuture<>();
    cluster.coordinator.nodeLeftListener = left::complete;
    ProcessHandle victim = cluster.processes().started().get(0).process().toHandle();
    long start = System.nanoTime();
    victim.destroyForcibly();
    left.get(60, java.util.concurrent.TimeUnit.SECONDS);
    return (System.nanoTime() - start) / 1e6;
  }

  public List<NodeStats> stats() {
    return cluster.coordinator.onContext(cluster.coordinator::stats).await();
  }

  /** Stops the nodes (SIGTERM, until each has exited) and returns how long that took (ms); {@link #close} after. */
  public double stopNodes() {
    long start = System.nanoTime();
    cluster.processes().stopAll(config.squaresStopGraceMs()).await();
    return (System.nanoTime() - start) / 1e6;
  }

  /** Stops the nodes (if still running) and leaves the cluster. */
  @Override
  public void close() {
    cluster.close(config.squaresStopGraceMs()).await();
  }
}
