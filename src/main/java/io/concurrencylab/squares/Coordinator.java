package io.concurrencylab.squares;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.NodeOp;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.Phase;
import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.SquaresMessages.Ready;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.Members;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.cluster.ParentWatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The coordinator of one sweep, on the sweep's own cluster. For each size in turn: launch the nodes and wait until
 * each serves its address (and has been pinged, so the connection is warm), compute through the {@link Scheduler},
 * check every value, collect each node's stats, stop every node and wait until it has exited.
 */
final class Coordinator extends VerticleBase {
  private static final DeliveryOptions PING = new DeliveryOptions().setSendTimeout(10_000)
      .addHeader(SquaresMessages.OP, NodeOp.PING.name());
  private static final DeliveryOptions STATS = new DeliveryOptions().setSendTimeout(5_000)
      .addHeader(SquaresMessages.OP, NodeOp.STATS.name());

  private final SweepPlan plan;
  private final HazelcastClusterManager manager;
  private final NodeProcesses processes;
  private final Consumer<Progress> progress;
  private final Set<Long> expectedPids = ConcurrentHashMap.newKeySet();
  private Map<String, Long> ready = new LinkedHashMap<>();
  private Promise<Void> allReady;
  private int expected;
  private int currentSize;
  private Scheduler scheduler;
  private String interrupted;
  private long lastProgress;
  long[] lastResults;
  /** Told (on a Hazelcast thread) the id of every node that leaves: the benchmark times loss detection with it. */
  volatile Consumer<String> nodeLeftListener = id -> { };

  Coordinator(SweepPlan plan, HazelcastClusterManager manager, NodeProcesses processes, Consumer<Progress> progress) {
    this.plan = plan;
    this.manager = manager;
    this.processes = processes;
    this.progress = progress;
  }

  @Override
  public Future<?> start() {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String nodeId = event.getMember().getAttribute(Members.NODE_ID);
        nodeLeftListener.accept(nodeId); // on Hazelcast's event thread, as early as we can know
        context.runOnContext(v -> {
          if (scheduler != null) {
            scheduler.nodeLeft(nodeId);
          }
        });
      }
    });
    return vertx.eventBus().<JsonObject>consumer(Addresses.SQUARES_READY, msg -> {
      Ready node = Ready.fromJson(msg.body());
      if (!expectedPids.contains(node.pid())) {
        msg.fail(409, "not a node of the current size");
        return;
      }
      vertx.eventBus().request(Addresses.squaresNode(node.nodeId()), null, PING).onComplete(ar -> {
        if (ar.failed()) {
          msg.fail(503, "ping failed: " + ar.cause().getMessage());
          return;
        }
        msg.reply(true);
        ready.put(node.nodeId(), node.pid());
        progress.accept(new Progress(plan.runId(), currentSize, Phase.LAUNCH, ready.size(), expected));
        if (ready.size() == expected) {
          allReady.tryComplete();
        }
      });
    }).completion();
  }

  /** Every size in order; stops at the first failure (after stopping that size's nodes). */
  Future<List<SizeResult>> runAll() {
    List<SizeResult> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int size : plan.request().sizes()) {
      chain = chain.compose(v -> interrupted != null ? Future.failedFuture(interrupted) : runSize(size)).map(r -> {
        results.add(r);
        return null;
      });
    }
    return chain.map(v -> results);
  }

  private Future<SizeResult> runSize(int size) {
    RunRequest request = plan.request();
    int chunk = request.chunk() > 0 ? request.chunk() : Scheduler.autoChunk(request.count(), size);
    long t0 = System.nanoTime();
    Future<SizeResult> result = ready(size).compose(v -> {
      long t1 = System.nanoTime();
      return compute(request.from(), request.count(), chunk).compose(values -> {
        long t2 = System.nanoTime();
        Scheduler work = scheduler;
        lastResults = values;
        return stats().compose(stats -> teardown().map(v2 -> {
          long t3 = System.nanoTime();
          progress.accept(new Progress(plan.runId(), size, Phase.DONE, size, size));
          return new SizeResult(size, chunk, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t3 - t0),
              work.retries(), work.lost(), stats);
        }));
      });
    });
    // Whatever happened, this size's nodes are stopped before the next size (or the end) begins.
    return result.recover(e -> teardown().transform(ignored -> Future.failedFuture(e)));
  }

  /** Launches {@code size} nodes and completes once every one of them serves its address and answered a ping. */
  Future<Void> ready(int size) {
    currentSize = size;
    expected = size;
    ready = new LinkedHashMap<>();
    allReady = Promise.promise();
    scheduler = null;
    progress.accept(new Progress(plan.runId(), size, Phase.LAUNCH, 0, size));
    return launch(size)
        .compose(v -> allReady.future().timeout(plan.readyTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .recover(e -> Future.failedFuture(e instanceof java.util.concurrent.TimeoutException
                ? "only " + ready.size() + " of " + size + " nodes were ready after " + plan.readyTimeoutMs()
                    + " ms (logs: " + plan.logDir() + ")"
                : e.getMessage())));
  }

  /** The squares of from..from+count-1 on the ready nodes, checked, in input order. */
  Future<long[]> compute(long from, long count, int chunk) {
    int size = currentSize;
    Scheduler work = new Scheduler(vertx, from, count, chunk, plan.window(), plan.chunkTimeoutMs(), ready,
        done -> computeProgress(size, done, count));
    scheduler = work;
    return work.run().map(values -> {
      progress.accept(new Progress(plan.runId(), size, Phase.COMPUTE, count, count));
      check(values, from);
      return values;
    });
  }

  private Future<Void> launch(int size) {
    expectedPids.clear();
    // this size's promise and ready map: an exit noticed later must not touch the next size's
    Promise<Void> sizeReady = allReady;
    Map<String, Long> sizeNodes = ready;
    int self = manager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
    List<String> nodeArgs = plan.nodeArgs(size, self);
    return vertx.executeBlocking(() -> {
      for (int i = 1; i <= size; i++) {
        NodeProcesses.Node node = processes.launch(size + "-" + i, nodeArgs);
        expectedPids.add(node.pid());
        node.process().onExit().thenAccept(p -> context.runOnContext(v -> {
          if (!sizeNodes.containsValue(p.pid())) {
            sizeReady.tryFail("node " + p.pid() + " exited with code " + p.exitValue() + " before it was ready (log: "
                + node.log() + ")");
          }
        }));
      }
      return null;
    }, false);
  }

  /**
   * Ends the run from outside (Ctrl-C, serve stopping): the current wait or computation fails with {@code why},
   * so the usual path stops this size's nodes and records the run, once.
   */
  void interrupt(String why) {
    context.runOnContext(v -> {
      interrupted = why;
      if (allReady != null) {
        allReady.tryFail(why);
      }
      if (scheduler != null) {
        scheduler.abort(why);
      }
    });
  }

  /** Runs {@code action} on this verticle's event loop (for callers on other threads, e.g. a benchmark). */
  <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private void computeProgress(int size, long done, long total) {
    long now = System.nanoTime();
    if (done < total && now - lastProgress > 100_000_000L) { // at most ten a second; the last one is sent by compute()
      lastProgress = now;
      progress.accept(new Progress(plan.runId(), size, Phase.COMPUTE, done, total));
    }
  }

  private static void check(long[] values, long from) {
    for (int i = 0; i < values.length; i++) {
      long x = from + i;
      if (values[i] != x * x) {
        throw new LabException(500, "wrong square for " + x + ": got " + values[i]);
      }
    }
  }

  /** What each node still in the cluster did, and its RSS. */
  Future<List<NodeStats>> stats() {
    List<Future<NodeStats>> all = new ArrayList<>();
    Set<String> lost = new java.util.HashSet<>();
    if (scheduler != null) {
      scheduler.lost().forEach(l -> lost.add(l.nodeId()));
    }
    ready.forEach((nodeId, pid) -> {
      if (!lost.contains(nodeId)) {
        all.add(vertx.eventBus().<JsonObject>request(Addresses.squaresNode(nodeId), null, STATS)
            .map(m -> NodeStats.fromJson(m.body())));
      }
    });
    return Future.join(all).transform(ar -> {
      List<NodeStats> stats = new ArrayList<>();
      all.stream().filter(Future::succeeded).forEach(f -> stats.add(f.result()));
      return Future.succeededFuture(stats);
    });
  }

  /** Stops every node of the current size and waits until each has exited. */
  Future<Void> teardown() {
    int size = currentSize;
    scheduler = null;
    progress.accept(new Progress(plan.runId(), size, Phase.TEARDOWN, 0, size));
    return processes.stopAll(plan.stopGraceMs())
        .onComplete(ar -> progress.accept(new Progress(plan.runId(), size, Phase.TEARDOWN, size, size)));
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  /** What the coordinator needs to know: the request, the sweep cluster and the limits. */
  record SweepPlan(String runId, RunRequest request, ClusterSettings cluster, int window, long chunkTimeoutMs,
      long readyTimeoutMs, long stopGraceMs, java.nio.file.Path logDir, boolean liteNodes) {
    /**
     * The command line of this size's nodes. They ask the coordinator (on port {@code self}) and the next few ports,
     * where their peers bind, rather than all of the range: two fewer connection attempts and idle Hazelcast
     * threads per port not asked (asking the coordinator alone made nodes that start together collide more often
     * in Hazelcast's join, which then retries after a fixed second).
     */
    List<String> nodeArgs(int size, int self) {
      List<String> members = cluster.asking(self, size + 3).members();
      List<String> args = new ArrayList<>(List.of("--cluster-name", cluster.name(), "--host", cluster.host(),
          "--members", String.join(",", members),
          "--port", Integer.toString(cluster.port()), "--port-count", Integer.toString(cluster.portCount()),
          "--parent-pid", Long.toString(ProcessHandle.current().pid()), ParentWatch.PIPE_OPTION, "--report-ready",
          "--role", "squares-node"));
      if (liteNodes) {
        args.add("--lite");
      }
      return args;
    }
  }
}
