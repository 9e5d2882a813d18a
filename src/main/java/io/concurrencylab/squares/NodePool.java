package io.concurrencylab.squares;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.Lost;
import io.concurrencylab.bus.SquaresMessages.NodeOp;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.Phase;
import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.SquaresMessages.Ready;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The nodes of one cluster size, the lesson's {@code Pool(N)}: {@link #open} launches N node processes and waits
 * until each serves its address; {@link #map} computes squares on them; {@link #close} stops them. Every method runs
 * on the run's event loop ({@link SweepCluster#call}). A pool {@link #over} nodes already in the app's cluster
 * launches nothing: it opens by asking each what it has done so far (this size's stats are the difference), and
 * closes by leaving them running.
 */
final class NodePool {
  private static final DeliveryOptions PING = new DeliveryOptions().setSendTimeout(10_000)
      .addHeader(SquaresMessages.OP, NodeOp.PING.name());
  private static final DeliveryOptions STATS = new DeliveryOptions().setSendTimeout(5_000)
      .addHeader(SquaresMessages.OP, NodeOp.STATS.name());

  private final SweepCluster cluster;
  private final LabConfig config;
  private final NodeProcesses processes;
  private final String runId;
  private final int size;
  private final Consumer<Progress> progress;
  /** The nodes launched; filled on a worker thread, read on the run's event loop. */
  private final Set<Long> pids = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Node id to pid, in the order they became ready. */
  private final Map<String, Long> ready = new LinkedHashMap<>();
  private final Promise<Void> allReady = Promise.promise();
  private final Runnable unwatch;
  /** Per node pid, when (System.nanoTime(), 0: not yet) it was launched, ready, told to stop, seen to exit. */
  private final Map<Long, long[]> life = new java.util.concurrent.ConcurrentHashMap<>();
  private final long openedNanos = System.nanoTime();
  /** The nodes' own reports, passed on to whoever watches the processes (serve's table of nodes). */
  private MessageConsumer<JsonObject> reports;
  /** Where the nodes write their squares; null until open. */
  private ResultPort port;
  private Scheduler scheduler;
  /** The map of this pool, kept after it ends (what it lost, re-queued and saw fail, also when it failed). */
  private Scheduler mapping;
  private Promise<String> watched;
  private long lastProgress;
  /** The nodes of the app's cluster this pool uses; null when it launches its own. */
  private final List<ClusterNodes.Node> given;
  /** Node id to host (its cluster address), for the record. */
  private final Map<String, String> hosts = new java.util.HashMap<>();
  /** Each given node's stats when the pool opened. */
  private final Map<String, NodeStats> before = new java.util.HashMap<>();

  /** The squares of one map, checked and in input order, with the nodes it lost and the chunks it re-queued. */
  record Mapped(long[] values, int retries, List<Lost> lost) {}

  NodePool(SweepCluster cluster, LabConfig config, NodeProcesses processes, String runId, int size,
      Consumer<Progress> progress) {
    this(cluster, config, processes, runId, size, progress, null);
  }

  /** A pool of {@code nodes}, already in the app's cluster (which {@code cluster} is). */
  static NodePool over(SweepCluster cluster, LabConfig config, List<ClusterNodes.Node> nodes, String runId,
      Consumer<Progress> progress) {
    return new NodePool(cluster, config, null, runId, nodes.size(), progress, List.copyOf(nodes));
  }

  private NodePool(SweepCluster cluster, LabConfig config, NodeProcesses processes, String runId, int size,
      Consumer<Progress> progress, List<ClusterNodes.Node> given) {
    this.given = given;
    this.cluster = cluster;
    this.config = config;
    this.processes = processes;
    this.runId = runId;
    this.size = size;
    this.progress = progress;
    this.unwatch = cluster.watchLeaving(this::left);
  }

  int size() {
    return size;
  }

  /**
   * Launches the nodes; completes once every one of them serves its address and has answered a ping. Given nodes:
   * once each has said what it did so far.
   */
  Future<Void> open() {
    progress(Phase.LAUNCH, 0, size);
    return ResultPort.open(cluster.vertx(), cluster.host()).compose(p -> {
      port = p;
      return given != null ? Future.all(given.stream().map(this::adopt).toList()).mapEmpty() : launchAndWait();
    });
  }

  private Future<Void> launchAndWait() {
    MessageConsumer<JsonObject> roll = cluster.vertx().eventBus().consumer(Addresses.SQUARES_READY, this::ready);
    reports = cluster.vertx().eventBus().consumer(Addresses.NODES_REPORT, m -> processes.reported(m.body()));
    return Future.all(roll.completion(), reports.completion()).<Void>mapEmpty()
        .compose(v -> launch())
        .compose(v -> allReady.future().timeout(config.squaresReadyTimeoutMs(), TimeUnit.MILLISECONDS))
        .recover(e -> Future.failedFuture(e instanceof TimeoutException ? "only " + ready.size() + " of " + size
            + " nodes were ready after " + config.squaresReadyTimeoutMs() + " ms (logs: " + processes.logDir() + ")"
            : e.getMessage()))
        .eventually(roll::unregister);
  }

  private Future<Void> adopt(ClusterNodes.Node node) {
    return cluster.vertx().eventBus().<JsonObject>request(Addresses.squaresNode(node.nodeId()), null, STATS)
        .map(reply -> {
          before.put(node.nodeId(), NodeStats.fromJson(reply.body()));
          hosts.put(node.nodeId(), node.host());
          ready.put(node.nodeId(), node.pid());
          progress(Phase.LAUNCH, ready.size(), size);
          return (Void) null;
        })
        .recover(e -> Future.failedFuture("node " + node.describe() + " of the cluster did not answer: "
            + e.getMessage()));
  }

  private Future<Void> launch() {
    List<String> args = cluster.nodeArgs(size, config.squaresLiteNodes(), config.squaresReadyTimeoutMs());
    return cluster.vertx().executeBlocking(() -> { // fork and exec: blocking
      for (int i = 1; i <= size; i++) {
        long launchedAt = System.nanoTime();
        NodeProcesses.Node node = processes.launch(size + "-" + i, args);
        long[] at = {launchedAt, 0, 0, 0};
        life.put(node.pid(), at);
        pids.add(node.pid()); // before the next launch: a node may report ready before the last one is launched
        node.process().onExit().thenAccept(p -> {
          at[3] = System.nanoTime();
          cluster.call(() -> exited(node));
        });
      }
      return null;
    }, false);
  }

  /** A node of this size says it serves its address: ping it (so the connection is warm), then count it. */
  private void ready(Message<JsonObject> msg) {
    Ready node = Ready.fromJson(msg.body());
    if (!pids.contains(node.pid())) {
      msg.fail(409, "not a node of the current size");
      return;
    }
    cluster.vertx().eventBus().request(Addresses.squaresNode(node.nodeId()), null, PING).onComplete(ping -> {
      if (ping.failed()) {
        msg.fail(503, "ping failed: " + ping.cause().getMessage());
        return;
      }
      msg.reply(true);
      long[] at = life.get(node.pid());
      if (at != null) {
        at[1] = System.nanoTime();
      }
      ready.put(node.nodeId(), node.pid());
      hosts.put(node.nodeId(), cluster.host());
      progress(Phase.LAUNCH, ready.size(), size);
      if (ready.size() == size) {
        allReady.tryComplete();
      }
    });
  }

  private Future<Void> exited(NodeProcesses.Node node) {
    if (!ready.containsValue(node.pid())) {
      allReady.tryFail("node " + node.pid() + " exited with code " + node.process().exitValue()
          + " before it was ready (log: " + node.log() + ")");
    }
    return Future.succeededFuture();
  }

  /**
   * The squares of from..from+count-1 on the ready nodes, in chunks of {@code chunk}, checked, in input order; the
   * node that gets the chunk holding {@code failAt} (when 0 or more) throws instead.
   */
  Future<Mapped> map(long from, long count, int chunk, long failAt) {
    Scheduler work = new Scheduler(cluster.vertx(), from, count, chunk, config.squaresWindow(),
        config.squaresChunkTimeoutMs(), ready, done -> computeProgress(done, count), port)
        .failingAt(failAt).at(hosts);
    scheduler = work;
    mapping = work;
    return work.run().map(values -> {
      check(values, from);
      progress(Phase.COMPUTE, count, count);
      return new Mapped(values, work.retries(), work.lost());
    }).eventually(() -> {
      scheduler = null;
      return Future.succeededFuture();
    });
  }

  private static void check(long[] values, long from) {
    for (int i = 0; i < values.length; i++) {
      long x = from + i;
      if (values[i] != x * x) {
        throw new LabException(500, "wrong square for " + x + ": got " + values[i]);
      }
    }
  }

  /** Chunks re-queued by the map (0 before it began). */
  int retries() {
    return mapping == null ? 0 : mapping.retries();
  }

  /** Nodes the map lost, each with its host. */
  List<Lost> lost() {
    return mapping == null ? List.of() : mapping.lost().stream().map(l -> l.at(hosts.get(l.nodeId()))).toList();
  }

  /**
   * What each node computed when, in the map, and each node's launch, ready, teardown and exit on the same axis (0:
   * the map began, or the pool opened when the map never did); a node the map never used has a lane without spans.
   */
  List<SquaresMessages.NodeTimeline> timeline() {
    long origin = mapping == null ? openedNanos : mapping.startNanos();
    List<SquaresMessages.NodeTimeline> lanes = new ArrayList<>();
    Set<Long> shown = new java.util.HashSet<>();
    for (SquaresMessages.NodeTimeline t : mapping == null ? List.<SquaresMessages.NodeTimeline>of() : mapping.timeline()) {
      shown.add(t.pid());
      lanes.add(t.withMarks(marks(t.pid(), origin)));
    }
    life.keySet().stream().filter(pid -> !shown.contains(pid)).sorted().forEach(pid ->
        lanes.add(new SquaresMessages.NodeTimeline(null, pid, List.of(), -1, marks(pid, origin))));
    return lanes;
  }

  private SquaresMessages.Marks marks(long pid, long origin) {
    long[] at = life.get(pid);
    if (at == null) {
      return null;
    }
    java.util.function.LongFunction<Double> ms = t -> t == 0 ? null : Math.round((t - origin) / 10_000.0) / 100.0;
    return new SquaresMessages.Marks(ms.apply(at[0]), ms.apply(at[1]), ms.apply(at[2]), ms.apply(at[3]));
  }

  /** Tasks that threw on a node. */
  List<SquaresMessages.TaskFailure> failures() {
    return mapping == null ? List.of() : mapping.failures();
  }

  /**
   * What each node still in the cluster did, its memory and the CPU it took to start; a launched node that never got
   * ready is there too, without an id.
   */
  Future<List<NodeStats>> stats() {
    return stats(STATS);
  }

  /** The same, waiting at most {@code timeoutMs} for a node (a run being cancelled must not wait long). */
  Future<List<NodeStats>> stats(long timeoutMs) {
    return stats(new DeliveryOptions(STATS).setSendTimeout(timeoutMs));
  }

  private Future<List<NodeStats>> stats(DeliveryOptions options) {
    List<Future<NodeStats>> all = new ArrayList<>();
    // not the nodes the map lost or whose process is gone (its leaving not seen yet): a request to one would only
    // fail, after a connection attempt that Vert.x logs with its stack
    Set<String> lost = new java.util.HashSet<>();
    lost().forEach(l -> lost.add(l.nodeId()));
    ready.forEach((nodeId, pid) -> {
      // (a given node's pid is on its own host: only a launched one can be looked up here)
      if (lost.contains(nodeId) || given == null && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return;
      }
      NodeStats then = before.get(nodeId);
      all.add(cluster.vertx().eventBus()
        .<JsonObject>request(Addresses.squaresNode(nodeId), null, options).map(m -> NodeStats.fromJson(m.body()))
        .map(s -> then == null ? s : s.since(then))
        .recover(e -> seenFromHere(nodeId, pid))
        .map(s -> s.at(hosts.get(nodeId))));
    });
    if (given == null) {
      // launched but never ready (a size stopped in launch): no id yet, nothing computed, but a process with memory
      pids.stream().filter(this::neverReady).sorted().forEach(pid -> all.add(cluster.vertx()
          .executeBlocking(() -> new NodeStats(null, pid, 0, 0, -1, Rss.megabytes(pid), Rss.peakMegabytes(pid), -1)
              .at(cluster.host()), false)));
    }
    return Future.join(all).transform(ar -> Future.succeededFuture(all.stream().filter(Future::succeeded)
        .map(Future::result).toList()));
  }

  /** Launched but never ready (not one that was ready and then lost: the map's lost list has that one). */
  private boolean neverReady(long pid) {
    long[] at = life.get(pid);
    return at != null && at[1] == 0 && !ready.containsValue(pid);
  }

  /**
   * A node that did not say what it did in time (busy with a backlog of chunks when its run is cancelled, hung):
   * what this side knows, the chunks and numbers it answered and its memory read from /proc (the nodes run on this
   * machine); its busy time and start CPU unknown (-1).
   */
  private Future<NodeStats> seenFromHere(String nodeId, long pid) {
    long[] done = mapping == null ? null : mapping.doneByNode().get(nodeId);
    boolean here = given == null; // a given node's memory is on its own host: unknown here (-1)
    return cluster.vertx().executeBlocking(() -> new NodeStats(nodeId, pid, done == null ? 0 : (int) done[0],
        done == null ? 0 : done[1], -1, here ? Rss.megabytes(pid) : -1, here ? Rss.peakMegabytes(pid) : -1, -1),
        false);
  }

  /**
   * kill -9 of one node, for the benchmark: completes with the time (ms) until this pool was told it left the
   * cluster. The pool has one node less after.
   */
  Future<Double> killOne() {
    long pid = ready.values().iterator().next();
    watched = Promise.promise();
    long start = System.nanoTime();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    return watched.future().map(nodeId -> (System.nanoTime() - start) / 1e6);
  }

  private void left(String nodeId) {
    if (ready.remove(nodeId) != null) {
      if (scheduler != null) {
        scheduler.nodeLeft(nodeId);
      }
      if (watched != null) {
        watched.tryComplete(nodeId);
      }
    }
  }

  /** Ends a wait or a computation under way with {@code why} (the run was cancelled). */
  void abort(String why) {
    allReady.tryFail(why);
    if (scheduler != null) {
      scheduler.abort(why);
    }
  }

  /**
   * Stops every node of this size, whatever state it is in: SIGKILL, until each process has exited and the
   * coordinator's member list no longer has it. A sweep's cluster is thrown away with its nodes, so they leave
   * without a leave's ceremony ({@link NodeProcesses#killAll}). Given nodes are left running.
   */
  Future<Void> close() {
    Future<Void> closed = port == null ? Future.succeededFuture() : port.close().recover(e -> Future.succeededFuture());
    if (given != null) { // not this run's: they stay, for the next sweep
      unwatch.run();
      return closed;
    }
    progress(Phase.TEARDOWN, 0, size);
    Set<Long> all = Set.copyOf(pids);
    long stopping = System.nanoTime();
    life.values().forEach(at -> at[2] = stopping);
    return closed.compose(v -> processes.killAll())
        .onComplete(ar -> { // every one has exited: its own exit time, or now when that was not seen yet
          long now = System.nanoTime();
          life.values().forEach(at -> at[3] = at[3] == 0 ? now : at[3]);
        })
        .compose(v -> cluster.awaitGone(all))
        .onComplete(ar -> {
          unwatch.run();
          if (reports != null) {
            reports.unregister();
          }
          progress(Phase.TEARDOWN, size, size);
        });
  }

  private void computeProgress(long done, long total) {
    long now = System.nanoTime();
    if (done < total && now - lastProgress > 100_000_000L) { // at most ten a second; the last one is sent by map()
      lastProgress = now;
      progress(Phase.COMPUTE, done, total);
    }
  }

  private void progress(Phase phase, long done, long total) {
    Scheduler work = phase == Phase.COMPUTE ? mapping : null;
    progress.accept(new Progress(runId, size, phase, done, total, 1, 1, work == null ? 0 : work.chunksDone(),
        work == null ? 0 : work.chunksTotal()));
  }
}
