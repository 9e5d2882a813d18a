package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.SquaresMessages.Results;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One squares run, the lesson's {@code Pool(N).map(square, ...)} for each N in turn: on a cluster of its own
 * ({@link SweepCluster}), each size is a {@link NodePool} that is opened (launch until every node is ready), used
 * (the squares, checked) and closed (every node stopped); then the record goes to the history.
 * <pre>
 *   run()     join the run's cluster ─► every size ─► the record ─► the history ─► leave the cluster
 *   a size    pool.open() ─► pool.map() ─► pool.stats() ─► pool.close()   (close whatever happened)
 * </pre>
 * A sweep {@link #over} the nodes already in the app's cluster runs the same way on that cluster: each size is a pool
 * of the first N of them, which it neither launches nor stops.
 */
public final class Sweep {
  private static final Logger log = LoggerFactory.getLogger(Sweep.class);

  private final LabConfig config;
  private final RunRequest request;
  private final String runId;
  private final RunHistory history;
  private final NodeProcesses processes;
  private final Consumer<Progress> progress;
  /** The app cluster's nodes it runs over; null when it launches its own. */
  private final ClusterNodes nodes;
  private volatile String cancelled;
  private volatile SweepCluster cluster;
  /** The size under way; only touched on the run's event loop. */
  private NodePool current;

  /**
   * @param processes where the nodes it launches are recorded (its owner can kill them from a shutdown hook)
   * @param progress told of each phase as it goes, on the run's event loop
   */
  public Sweep(LabConfig config, RunRequest request, String runId, RunHistory history, NodeProcesses processes,
      Consumer<Progress> progress) {
    this(config, request, runId, history, processes, progress, null);
  }

  /**
   * A sweep over {@code nodes}, already in the app's cluster, on the Vert.x that found them; {@code request} sized
   * by them ({@link ClusterNodes#sized}). Run it from that Vert.x's event loop or off Vert.x threads.
   */
  public static Sweep over(ClusterNodes nodes, LabConfig config, RunRequest request, String runId,
      RunHistory history, Consumer<Progress> progress) {
    return new Sweep(config, request, runId, history, null, progress, nodes);
  }

  private Sweep(LabConfig config, RunRequest request, String runId, RunHistory history, NodeProcesses processes,
      Consumer<Progress> progress, ClusterNodes nodes) {
    this.nodes = nodes;
    this.config = config;
    this.request = request;
    this.runId = runId;
    this.history = history;
    this.processes = processes;
    this.progress = progress;
  }

  public static String newRunId() {
    // sortable, readable, unique enough for one machine: 20261125-112303-7fae
    return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
        .format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 4);
  }

  /**
   * Runs the sweep; returns at once, from any thread. The run's own Vert.x is built on a thread of its own (not
   * from inside another Vert.x, which Vert.x warns against). The future always succeeds, with the record, once every
   * node it started has exited, the record is in the history and the cluster is left; a failed or cancelled run
   * has that status, its error and every size it measured. Its callbacks run on the run's threads, not the caller's.
   */
  public Future<RunRecord> run() {
    String started = Instant.now().toString();
    Future<SweepCluster> joining = nodes != null ? Future.succeededFuture(SweepCluster.of(nodes.vertx())) : form();
    return joining.compose(
        joined -> {
          cluster = joined;
          return joined.call(() -> everySize(joined))
              .transform(done -> joined.vertx().executeBlocking(() -> keep(record(started, done))))
              .eventually(joined::close);
        },
        // no Vert.x of the run to do it off this thread: a few ms of file I/O on the thread that failed the join
        e -> Future.succeededFuture(keep(failed(started, "could not form the sweep cluster: " + e.getMessage()))));
  }

  /** Forms the run's own cluster. */
  private Future<SweepCluster> form() {
    Promise<SweepCluster> joining = Promise.promise();
    Thread former = new Thread(() -> {
      try {
        SweepCluster.join(config, runId).onComplete(joining);
      } catch (RuntimeException e) { // e.g. a cluster.xml Hazelcast cannot read
        joining.fail(e);
      }
    }, "lab-sweep-" + runId);
    former.setDaemon(true);
    former.start();
    return joining.future();
  }

  public String runId() {
    return runId;
  }

  /**
   * Cancels the run from outside (the API, the event bus, Ctrl-C, serve stopping), from any thread: the current
   * wait or computation fails, so the usual path stops this size's nodes and records the run, as cancelled with
   * what it measured so far, once.
   */
  public void cancel(String why) {
    cancelled = "cancelled (" + why + "); " + (nodes == null ? "every node it started was stopped"
        : "the cluster's nodes it used are left running");
    SweepCluster joined = cluster;
    if (joined != null) {
      joined.call(() -> {
        if (current != null) {
          current.abort(cancelled);
        }
        return Future.succeededFuture();
      });
    }
  }

  public boolean isCancelled() {
    return cancelled != null;
  }

  /** The sizes done so far and the squares of the last one (every size computes the same numbers). */
  private record Done(List<SizeResult> sizes, long[] values) {
    Done plus(SizeResult size, long[] squares) {
      List<SizeResult> all = new ArrayList<>(sizes);
      all.add(size);
      return new Done(all, squares);
    }
  }

  /** The run stopped (a failure, a cancel) after measuring {@code done}. */
  private static final class Stopped extends RuntimeException {
    final transient Done done;

    Stopped(Done done, Throwable cause) {
      super(cause.getMessage(), cause, false, false);
      this.done = done;
    }
  }

  /** Every size in order; stops at the first failure (after stopping that size's nodes). */
  private Future<Done> everySize(SweepCluster cluster) {
    return fromSize(cluster, 0, new Done(List.of(), new long[0]));
  }

  /**
   * Size i and those after it, each composed once the one before is done: a failure ends the run where it is,
   * without passing through a listener per size still to come.
   */
  private Future<Done> fromSize(SweepCluster cluster, int i, Done before) {
    List<Integer> sizes = request.sizes();
    if (i == sizes.size()) {
      return Future.succeededFuture(before);
    }
    return oneSize(cluster, sizes.get(i), before, p -> progress.accept(p.at(i + 1, sizes.size())))
        .compose(done -> fromSize(cluster, i + 1, done));
  }

  /**
   * One size: launch until ready, map, stats, stop; timed phase by phase. A size that fails or is cancelled still
   * asks its nodes for their stats and stops them, and is kept with the phases it measured ({@link Stopped}).
   */
  private Future<Done> oneSize(SweepCluster cluster, int size, Done before, Consumer<Progress> progress) {
    if (cancelled != null) {
      return Future.failedFuture(new Stopped(before, new IllegalStateException(cancelled)));
    }
    int chunk = request.chunk() > 0 ? request.chunk() : Scheduler.autoChunk(request.count(), size);
    NodePool pool = nodes != null ? NodePool.over(cluster, config, nodes.first(size), runId, progress)
        : new NodePool(cluster, config, processes, runId, size, progress);
    current = pool;
    long[] at = {System.nanoTime(), 0, 0, 0}; // start, ready, computed, stopping
    Future<NodePool.Mapped> mapped = pool.open()
        .compose(v -> {
          at[1] = System.nanoTime();
          return pool.map(request.from(), request.count(), chunk, request.failAt());
        });
    // Whatever happened: what the nodes did (quickly when cancelled), then this size's nodes are stopped before the
    // next size (or the end) begins.
    return mapped.transform(result -> {
      at[at[1] == 0 ? 1 : 2] = System.nanoTime();
      Future<List<NodeStats>> stats = cancelled != null ? pool.stats(STATS_WHEN_CANCELLED_MS) : pool.stats();
      return stats.transform(s -> {
        at[3] = System.nanoTime();
        List<NodeStats> nodes = s.succeeded() ? s.result() : List.of();
        return pool.close().transform(closed -> {
          long end = System.nanoTime();
          String stoppedIn = result.succeeded() && closed.succeeded() ? null : at[2] == 0 ? "launch" : "compute";
          double launch = ms(at[1] - at[0]);
          double compute = at[2] == 0 ? 0 : ms(at[2] - at[1]);
          SizeResult measured = new SizeResult(size, chunk, launch, compute, ms(end - at[3]), ms(end - at[0]),
              pool.retries(), pool.lost(), nodes, stoppedIn, pool.failures(), pool.timeline());
          if (stoppedIn != null) {
            Throwable cause = result.failed() ? result.cause() : closed.cause();
            return Future.failedFuture(new Stopped(before.plus(measured, before.values()), cause));
          }
          progress.accept(new Progress(runId, size, io.concurrencylab.bus.SquaresMessages.Phase.DONE, size, size));
          return Future.succeededFuture(before.plus(measured, result.result().values()));
        });
      });
    });
  }

  /** How long a node may take to say what it did while its run is being cancelled. */
  private static final long STATS_WHEN_CANCELLED_MS = 1_000;

  private RunRecord record(String started, io.vertx.core.AsyncResult<Done> done) throws Exception {
    if (done.failed()) {
      List<SizeResult> sizes = done.cause() instanceof Stopped stopped ? stopped.done.sizes() : List.of();
      return new RunRecord(runId, started, Instant.now().toString(), request,
          cancelled != null ? SquaresMessages.CANCELLED : SquaresMessages.FAILED,
          cancelled != null ? cancelled : done.cause().getMessage(), sizes, null, machine());
    }
    return new RunRecord(runId, started, Instant.now().toString(), request, true, null, done.result().sizes(),
        results(done.result().values(), request.from()), machine());
  }

  private RunRecord failed(String started, String error) {
    return new RunRecord(runId, started, Instant.now().toString(), request, cancelled != null
        ? SquaresMessages.CANCELLED : SquaresMessages.FAILED, cancelled != null ? cancelled : error, List.of(), null,
        machine());
  }

  /** Appends the record to the history (blocking); a record that cannot be written is still the run's record. */
  private RunRecord keep(RunRecord record) {
    try {
      history.append(record);
    } catch (Exception e) {
      log.error("could not append run {} to {}: {}", runId, history.file(), e.getMessage());
    }
    return record;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  /** All the values when few; else the first and last ten and a digest of all. */
  public static Results results(long[] values, long from) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    ByteBuffer buffer = ByteBuffer.allocate(8 * 4096);
    for (long v : values) {
      if (!buffer.hasRemaining()) {
        sha.update(buffer.flip());
        buffer.clear();
      }
      buffer.putLong(v);
    }
    sha.update(buffer.flip());
    List<Long> first = new ArrayList<>();
    List<Long> last = new ArrayList<>();
    for (int i = 0; i < Math.min(10, values.length); i++) {
      first.add(values[i]);
      last.add(0, values[values.length - 1 - i]);
    }
    List<Long> all = null;
    if (values.length <= Results.KEEP_ALL) {
      all = new ArrayList<>();
      for (long v : values) {
        all.add(v);
      }
    }
    return new Results(values.length, all, first, last, HexFormat.of().formatHex(sha.digest()));
  }

  /** Where the numbers came from: cores, JVM, OS, Vert.x and Hazelcast versions. */
  public static JsonObject machine() {
    return new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
        .put("vertx", Versions.vertx())
        .put("hazelcast", Versions.hazelcast());
  }
}
