package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import java.util.List;

/**
 * The cluster as a pool (the lesson's Q2): N node processes launched once and reused for many maps, so the cost
 * of forming it is paid once. A {@link NodePool} on a cluster of its own, with blocking methods for plain threads
 * (the benchmark, a main): never an event loop.
 */
public final class WarmPool implements AutoCloseable {
  private final SweepCluster cluster;
  private final NodePool pool;
  private final NodeProcesses processes;
  private final double joinMs;
  private final double formationMs;
  private boolean stopped;

  private WarmPool(SweepCluster cluster, NodePool pool, NodeProcesses processes, double joinMs, double formationMs) {
    this.cluster = cluster;
    this.pool = pool;
    this.processes = processes;
    this.joinMs = joinMs;
    this.formationMs = formationMs;
  }

  /** Forms a cluster of its own and launches {@code size} nodes; returns once all of them are ready. */
  public static WarmPool open(LabConfig config, int size) {
    String runId = "pool-" + Sweep.newRunId();
    NodeProcesses processes = new NodeProcesses(config.squaresNodeJvmFlags(),
        config.dataDir().resolve("logs").resolve(runId));
    long t0 = System.nanoTime();
    SweepCluster cluster = SweepCluster.join(config, runId).await();
    long t1 = System.nanoTime();
    NodePool pool = cluster.call(() -> io.vertx.core.Future.succeededFuture(
        new NodePool(cluster, config, processes, runId, size, p -> { }))).await();
    long t2 = System.nanoTime();
    try {
      cluster.call(pool::open).await();
    } catch (RuntimeException e) {
      cluster.call(pool::close).eventually(cluster::close).await();
      throw e;
    }
    return new WarmPool(cluster, pool, processes, (t1 - t0) / 1e6, (System.nanoTime() - t2) / 1e6);
  }

  /** Launch until every node was ready (the formation time), without the coordinator's own join. */
  public double formationMs() {
    return formationMs;
  }

  /** How long the coordinator took to form the cluster of its own, before any node was launched. */
  public double coordinatorJoinMs() {
    return joinMs;
  }

  /** The squares of from..to, checked, in order ({@code chunk} null: automatic). */
  public long[] map(long from, long to, Integer chunk) {
    long count = to - from + 1;
    int c = chunk != null ? chunk : Scheduler.autoChunk(count, pool.size());
    return cluster.call(() -> pool.map(from, count, c, -1)).await().values();
  }

  /** kill -9 of one node, and the time until the coordinator is told it left (ms); one node less after. */
  public double killOneAndTimeDetection() {
    return cluster.call(pool::killOne).await();
  }

  /** What each node did, its memory (now and at its peak) and the CPU it took to start. */
  public List<NodeStats> stats() {
    return cluster.call(pool::stats).await();
  }

  /** The node processes, e.g. to read their memory from outside. */
  public List<Long> pids() {
    return processes.started().stream().map(NodeProcesses.Node::pid).toList();
  }

  /** Stops the nodes as a sweep does (until each has exited and left) and returns how long that took (ms). */
  public double stopNodes() {
    long start = System.nanoTime();
    cluster.call(pool::close).await();
    stopped = true;
    return (System.nanoTime() - start) / 1e6;
  }

  /** Stops the nodes (if still running) and leaves the cluster. */
  @Override
  public void close() {
    if (!stopped) {
      stopNodes();
    }
    cluster.close().await();
  }
}
