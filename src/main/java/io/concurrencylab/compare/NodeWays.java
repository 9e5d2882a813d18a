package io.concurrencylab.compare;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.CompareMessages;
import io.concurrencylab.bus.CompareMessages.NodeReady;
import io.concurrencylab.bus.CompareMessages.Task;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.cluster.ParentWatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The process way: this process joins a cluster of its own ({@code lab-compare-<run>} on {@code compare.port}),
 * launches N {@code lab node --compare} processes into it with {@link NodeProcesses}, and hands them the tasks the
 * way {@code Pool.map(..., chunksize=1)} does: one task in flight per node, the next to whichever node answers.
 * A node computes or does its blocking request on a worker thread ({@link CompareNodeVerticle}). Blocking methods,
 * for a plain thread. Whatever happens, {@link #close} stops every node launched and leaves the cluster.
 */
final class NodeWays implements AutoCloseable {
  private final Vertx vertx;
  private final Coordinator coordinator;
  private final NodeProcesses processes;
  private final long stopGraceMs;
  private final double joinMs;

  /** Where and how nodes run: the comparison's cluster, and the limits on starting and stopping them. */
  record Plan(ClusterSettings cluster, long readyTimeoutMs, long stopGraceMs) {}

  private NodeWays(Vertx vertx, Coordinator coordinator, NodeProcesses processes, long stopGraceMs, double joinMs) {
    this.vertx = vertx;
    this.coordinator = coordinator;
    this.processes = processes;
    this.stopGraceMs = stopGraceMs;
    this.joinMs = joinMs;
  }

  /** Joins the comparison's own cluster (the coordinator's side); no node is launched yet. */
  static NodeWays join(Plan plan, NodeProcesses processes) {
    long start = System.nanoTime();
    ClusterSettings.Clustered joined = plan.cluster().join(ClusterSettings.withoutJarFiles(new VertxOptions()),
        ClusterSettings.THROWAWAY_COORDINATOR)
        .await();
    Coordinator coordinator = new Coordinator(plan, processes, joined.manager());
    try {
      joined.vertx().deployVerticle(coordinator).await();
    } catch (RuntimeException e) {
      joined.vertx().close().await();
      throw e;
    }
    return new NodeWays(joined.vertx(), coordinator, processes, plan.stopGraceMs(), (System.nanoTime() - start) / 1e6);
  }

  /** How long joining the cluster took this process (ms): outside every timed run, and said so. */
  double joinMs() {
    return joinMs;
  }

  /** Launches {@code n} nodes; completes once every one of them serves its address and answered a ping. */
  Future<Void> launch(int n) {
    return coordinator.onContext(() -> coordinator.launch(n));
  }

  /** The tasks on the nodes launched, one in flight per node; completes with the results in task order. */
  Future<List<String>> run(List<Task> tasks) {
    return coordinator.onContext(() -> coordinator.run(tasks));
  }

  /** CPU time (ns) the running nodes have used since they started, summed; -1 where a node does not say. */
  long nodesCpuNanos() {
    long sum = 0;
    for (NodeProcesses.Node node : processes.started()) {
      long cpu = CpuTime.of(node.pid());
      if (cpu < 0) {
        return -1;
      }
      sum += cpu;
    }
    return sum;
  }

  /** Each timed run: launch the nodes until ready, run the tasks, stop the nodes until exited. No warm-up. */
  Ways.Measured launchIncluded(int n, List<Task> tasks, int runs, Control control, LongSupplier ownCpu) {
    List<Double> walls = new ArrayList<>();
    List<Double> cpus = new ArrayList<>();
    List<List<String>> results = new ArrayList<>();
    try {
      for (int i = 0; i < runs; i++) {
        control.check();
        long c0 = ownCpu.getAsLong();
        long t0 = System.nanoTime();
        control.await(launch(n));
        results.add(control.await(run(tasks)));
        long theirs = nodesCpuNanos(); // until they are told to stop, as the Python side reads its pool's
        stopNodes();
        walls.add(Stats.round((System.nanoTime() - t0) / 1e6));
        long c1 = ownCpu.getAsLong();
        cpus.add(c0 < 0 || c1 < 0 || theirs < 0 ? null : Stats.round((c1 - c0 + theirs) / 1e6));
      }
      return new Ways.Measured(walls, cpus, results, null);
    } catch (CancellationException e) {
      throw e;
    } catch (Exception e) {
      stopNodes();
      return Ways.Measured.failed("failed: " + Comparison.describe(e));
    }
  }

  /** SIGTERM to every node, SIGKILL after the grace period; returns once each has exited. */
  void stopNodes() {
    processes.stopAll(stopGraceMs).await();
  }

  /** Fails what is waiting on the nodes (launch or run) with {@code why}: a cancel. */
  void abort(String why) {
    coordinator.abort(why);
  }

  @Override
  public void close() {
    try {
      stopNodes();
    } finally {
      vertx.close().await();
    }
  }

  /** On the comparison's cluster: takes the nodes' "ready", and hands them tasks. */
  private static final class Coordinator extends VerticleBase {
    private static final DeliveryOptions PING = new DeliveryOptions().setSendTimeout(10_000)
        .addHeader(CompareMessages.OP, CompareMessages.PING);
    /** A task may be a long wait (the request bounds allow 2 s) or computation: generous, but bounded. */
    private static final DeliveryOptions TASK = new DeliveryOptions().setSendTimeout(120_000)
        .addHeader(CompareMessages.OP, CompareMessages.TASK);
    private final Plan plan;
    private final NodeProcesses processes;
    private final HazelcastClusterManager manager;
    private final Set<Long> expected = ConcurrentHashMap.newKeySet();
    private Map<String, Long> ready = new LinkedHashMap<>();
    private Promise<Void> allReady;
    private Promise<List<String>> running;
    private int size;

    Coordinator(Plan plan, NodeProcesses processes, HazelcastClusterManager manager) {
      this.plan = plan;
      this.processes = processes;
      this.manager = manager;
    }

    @Override
    public Future<?> start() {
      return vertx.eventBus().<JsonObject>consumer(Addresses.COMPARE_READY, msg -> {
        NodeReady node = NodeReady.fromJson(msg.body());
        if (!expected.contains(node.pid())) {
          msg.fail(Failures.CONFLICT, "not a node this comparison is waiting for");
          return;
        }
        // a ping first: the node's address is then known here, and the connection to it open
        vertx.eventBus().request(Addresses.compareNode(node.nodeId()), null, PING).onComplete(ar -> {
          if (ar.failed()) {
            msg.fail(Failures.NOT_READY, "ping failed: " + ar.cause().getMessage());
            return;
          }
          msg.reply(true);
          ready.put(node.nodeId(), node.pid());
          if (ready.size() == size) {
            allReady.tryComplete();
          }
        });
      }).completion();
    }

    <T> Future<T> onContext(Supplier<Future<T>> action) {
      Promise<T> promise = Promise.promise();
      context.runOnContext(v -> action.get().onComplete(promise));
      return promise.future();
    }

    Future<Void> launch(int n) {
      size = n;
      ready = new LinkedHashMap<>();
      expected.clear();
      Promise<Void> all = Promise.promise();
      allReady = all;
      Map<String, Long> these = ready;
      int self = manager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
      List<String> args = nodeArgs(n, self);
      return vertx.executeBlocking(() -> {
        for (int i = 1; i <= n; i++) {
          NodeProcesses.Node node = processes.launch("compare-" + i, args);
          expected.add(node.pid());
          node.process().onExit().thenAccept(p -> context.runOnContext(v -> {
            if (!these.containsValue(p.pid())) {
              all.tryFail("node " + p.pid() + " exited with code " + p.exitValue() + " before it was ready (log: "
                  + node.log() + ")");
            }
          }));
        }
        return null;
      }, false).compose(v -> all.future().timeout(plan.readyTimeoutMs(), TimeUnit.MILLISECONDS)
          .recover(e -> Future.failedFuture(e instanceof java.util.concurrent.TimeoutException
              ? "only " + these.size() + " of " + n + " nodes were ready after " + plan.readyTimeoutMs() + " ms"
              : e.getMessage())));
    }

    /** Like a sweep's nodes: they ask the coordinator and the few ports after it, and watch this process. */
    private List<String> nodeArgs(int n, int self) {
      ClusterSettings cluster = plan.cluster();
      return new ArrayList<>(List.of("--cluster-name", cluster.name(), "--host", cluster.host(),
          "--members", String.join(",", cluster.asking(self, n + 3).members()),
          "--port", Integer.toString(cluster.port()), "--port-count", Integer.toString(cluster.portCount()),
          "--parent-pid", Long.toString(ProcessHandle.current().pid()), ParentWatch.PIPE_OPTION,
          "--role", "compare-node", "--lite", "--compare"));
    }

    Future<List<String>> run(List<Task> tasks) {
      Promise<List<String>> done = Promise.promise();
      running = done;
      if (ready.isEmpty()) {
        done.fail("no node is ready");
        return done.future();
      }
      String[] results = new String[tasks.size()];
      Iterator<Task> next = tasks.iterator();
      int[] answered = {0};
      for (Map.Entry<String, Long> node : ready.entrySet()) {
        feed(node, next, results, answered, done);
      }
      return done.future();
    }

    private void feed(Map.Entry<String, Long> node, Iterator<Task> next, String[] results, int[] answered,
        Promise<List<String>> done) {
      if (!next.hasNext() || done.future().isComplete()) {
        return;
      }
      Task task = next.next();
      vertx.eventBus().<String>request(Addresses.compareNode(node.getKey()), task.toJson(), TASK).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(new LabException(Failures.UNEXPECTED, "node " + node.getValue() + ", task " + task.index()
              + ": " + Failures.describe(ar.cause())));
          return;
        }
        results[task.index()] = ar.result().body();
        if (++answered[0] == results.length) {
          done.tryComplete(List.of(results));
        } else {
          feed(node, next, results, answered, done);
        }
      });
    }

    void abort(String why) {
      context.runOnContext(v -> {
        if (allReady != null) {
          allReady.tryFail(why);
        }
        if (running != null) {
          running.tryFail(why);
        }
      });
    }
  }
}
