package io.concurrencylab.squares;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.RunningSweep;
import io.concurrencylab.bus.SquaresMessages.Started;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Squares runs from the event bus, in {@code serve}: {@code lab.squares.start} (reply at once with the run id),
 * {@code lab.squares.run} (reply with the record when done), {@code lab.squares.cancel} (reply with the cancelled
 * run's record once its nodes are stopped), {@code lab.squares.runs} (the history). One sweep at a
 * time per cluster ({@link SweepGuard}): a start while one runs on any serve is a 409 naming it. Publishes
 * {@code lab.squares.progress} while a run goes and {@code lab.squares.finished} with its record.
 *
 * <p>Every serve of a cluster shows the same history: its own file's runs, the runs of the others (asked for once at
 * start, from any one of them: they all know the same), and each new run as its {@code lab.squares.finished} arrives.
 * Runs made elsewhere are appended to this serve's file too, unless it holds them already (a shared data folder).
 */
public final class SweepVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SweepVerticle.class);
  private static final DeliveryOptions ASK_OTHERS = new DeliveryOptions().setSendTimeout(5_000);
  private final LabConfig config;
  private final SweepMeters meters = new SweepMeters();
  /** The runs shown: the newest RunHistory.MAX_RUNS, by arrival (the history's order). */
  private final Map<String, RunRecord> runs = new java.util.LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, RunRecord> eldest) {
      return size() > RunHistory.MAX_RUNS;
    }
  };
  private final Map<String, Message<Object>> waiting = new HashMap<>();
  /** The cancel requests of the run going, answered with its record. */
  private final List<Message<Object>> cancelling = new ArrayList<>();
  private RunHistory file;
  private SweepGuard guard;
  private Sweep sweep;
  private NodeProcesses processes;
  private Future<RunRecord> runDone;
  private HistoryWatch watch;

  public SweepVerticle(LabConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    file = new RunHistory(config.dataDir());
    guard = new SweepGuard(vertx);
    var bus = vertx.eventBus();
    return vertx.executeBlocking(file::readAll)
        .recover(e -> { // the history is a record of past runs: serve starts without it rather than not at all
          log.error("cannot read the squares history {} ({}): serve starts without the runs in it, and new runs are "
              + "not kept in it until it is fixed", file.file(), e.getMessage() != null ? e.getMessage() : e.toString());
          return Future.succeededFuture(List.of());
        })
        .compose(records -> {
          records.forEach(r -> runs.put(r.id(), r));
          return bus.<JsonObject>consumer(Addresses.SQUARES_FINISHED, msg -> finished(msg.body())).completion();
        })
        .compose(v -> askOthers())
        .compose(v -> Future.all(
            bus.consumer(Addresses.SQUARES_START, msg -> begin(msg).onSuccess(id -> msg.reply(new Started(id).toJson())))
                .completion(),
            bus.consumer(Addresses.SQUARES_RUN, msg -> begin(msg).onSuccess(id -> waiting.put(id, msg))).completion(),
            bus.consumer(Addresses.SQUARES_RUNS, this::runs).completion(),
            bus.consumer(Addresses.SQUARES_CANCEL, this::cancel).completion(),
            // where the other serves of the cluster pass on a cancel of the sweep this one runs
            guard.nodeId() == null ? Future.succeededFuture()
                : bus.consumer(Addresses.squaresCancelOn(guard.nodeId()), this::cancelHere).completion()))
        .compose(v -> {
          watch = new HistoryWatch(vertx, file, this::appeared);
          return watch.start();
        });
  }

  /**
   * The runs the other serves of the cluster know. Asked before this serve answers {@code lab.squares.runs}
   * itself, so whichever serve the request reaches is another one; none there (NO_HANDLERS) means none to know.
   */
  private Future<Void> askOthers() {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<JsonObject>request(Addresses.SQUARES_RUNS, null, ASK_OTHERS)
        .compose(reply -> keep(SquaresMessages.runsFromJson(reply.body())))
        .otherwise(e -> {
          if (!(e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS)) {
            log.warn("could not ask the other serves for their squares runs ({}); showing this serve's own",
                Failures.describe(e));
          }
          return null;
        });
  }

  /** A run finished, here or on another serve: shown, and kept in this serve's file if it does not hold it yet. */
  private void finished(JsonObject body) {
    try {
      keep(List.of(RunRecord.fromJson(body)));
    } catch (RuntimeException e) {
      log.debug("ignored a lab.squares.finished that is not a run record: {}", e.toString());
    }
  }

  /**
   * The history file changed: runs this serve does not know yet were made by another process (a {@code lab squares}
   * here, a serve sharing the folder). Each is shown, and announced as finished, so open pages show it live.
   */
  private void appeared(List<RunRecord> records) {
    for (RunRecord r : records) {
      if (!runs.containsKey(r.id()) && (sweep == null || !sweep.runId().equals(r.id()))) {
        runs.put(r.id(), r);
        vertx.eventBus().publish(Addresses.SQUARES_FINISHED, r.toJson());
      }
    }
  }

  private Future<Void> keep(List<RunRecord> records) {
    records.forEach(r -> runs.put(r.id(), r));
    return vertx.executeBlocking(() -> file.appendMissing(records))
        .onFailure(e -> log.error("could not add {} run(s) to {}: {}", records.size(), file.file(), e.getMessage()))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  /** The history, and the sweep running now on any serve of the cluster ({@code "running"}, null when none). */
  private void runs(Message<Object> msg) {
    try {
      Bodies.none(msg.body(), Addresses.SQUARES_RUNS);
    } catch (RuntimeException e) {
      Failures.reply(msg, e);
      return;
    }
    JsonObject reply = SquaresMessages.runs(runs.values().stream()
        .sorted(Comparator.comparing(RunRecord::started).thenComparing(RunRecord::id)).toList());
    guard.running().onComplete(running -> msg.reply(reply.put("running",
        running.succeeded() && running.result() != null ? running.result().toJson() : null)));
  }

  /**
   * Cancels a running sweep: here when this serve runs it, else on the serve that does (the one sweep of the
   * cluster); answered with the run's record once its nodes are stopped. 404 for a run nobody knows, 409 for one
   * that is not running.
   */
  private void cancel(Message<Object> msg) {
    SquaresMessages.Cancel cancel;
    try {
      cancel = SquaresMessages.Cancel.fromBody(msg.body());
    } catch (LabException e) {
      Failures.reply(msg, e);
      return;
    }
    if (sweep != null && sweep.runId().equals(cancel.run())) {
      cancelHere(msg, cancel);
      return;
    }
    guard.running().onComplete(ar -> {
      RunningSweep running = ar.succeeded() ? ar.result() : null;
      if (running != null && running.run().equals(cancel.run()) && running.nodeId() != null) {
        vertx.eventBus().request(Addresses.squaresCancelOn(running.nodeId()), msg.body(),
                new DeliveryOptions().setSendTimeout(config.squaresStopGraceMs() + 20_000))
            .onComplete(reply -> msg.reply(reply.body()), e -> Failures.reply(msg, e));
      } else if (runs.containsKey(cancel.run())) {
        Failures.reply(msg, new LabException(Failures.CONFLICT, "squares run " + cancel.run() + " is not running (it ended: "
            + runs.get(cancel.run()).status() + ")"));
      } else {
        Failures.reply(msg, new LabException(Failures.NOT_FOUND, "no squares run " + Bodies.show(cancel.run())));
      }
    });
  }

  /** A cancel passed on by another serve (lab.squares.cancel.&lt;nodeId&gt;): checked here too, then as any other. */
  private void cancelHere(Message<Object> msg) {
    try {
      cancelHere(msg, SquaresMessages.Cancel.fromBody(msg.body()));
    } catch (LabException e) {
      Failures.reply(msg, e);
    }
  }

  /** Cancels the sweep this serve runs, if it is the one asked for; the reply comes with its record. */
  private void cancelHere(Message<Object> msg, SquaresMessages.Cancel cancel) {
    if (sweep == null || !sweep.runId().equals(cancel.run())) {
      Failures.reply(msg, new LabException(Failures.CONFLICT, "squares run " + cancel.run() + " is not running here"));
      return;
    }
    String who = msg.headers().get(io.concurrencylab.bus.WebMessages.ORIGIN);
    cancelling.add(msg);
    if (!sweep.isCancelled()) {
      log.info("squares run {} cancelled on request ({})", cancel.run(), who == null ? "event bus" : who);
      sweep.cancel("on request" + (who == null ? "" : " from " + who));
    }
  }

  /** Validates, claims the one sweep of the cluster and starts it; answers the request itself when refusing. */
  private Future<String> begin(Message<Object> msg) {
    RunRequest request;
    try {
      request = RunRequest.fromBody(msg.body(), config.squaresMaxNodes(), config.squaresMaxNumbers());
    } catch (LabException e) {
      Failures.reply(msg, e);
      return Future.failedFuture(e);
    }
    RunningSweep mine = guard.mine(Sweep.newRunId());
    // over the cluster's nodes: found first, so that none (or too few) is a refusal, not a failed run
    Future<ClusterNodes> found = request.onCluster() ? ClusterNodes.find(vertx) : Future.succeededFuture();
    return found.compose(nodes -> {
      RunRequest sized = nodes == null ? request : nodes.sized(request);
      return guard.claim(mine)
          .compose(running -> running == null ? Future.succeededFuture(mine.run()) : Future.failedFuture(
              new LabException(Failures.CONFLICT, "a squares run is going (" + running.describe() + "): one at a time")))
          .onSuccess(runId -> launch(sized, nodes, mine));
    }).onFailure(e -> Failures.reply(msg, e));
  }

  /** Starts the sweep: over {@code nodes} of the cluster, or (null) over nodes it launches. */
  private void launch(RunRequest request, ClusterNodes nodes, RunningSweep mine) {
    processes = new NodeProcesses(config.squaresNodeJvmFlags(), config.dataDir().resolve("logs").resolve(mine.run()))
        .watchedBy(new ToNodesTable(vertx, mine.run()));
    Consumer<Progress> progress = p -> vertx.eventBus().publish(Addresses.SQUARES_PROGRESS, p.toJson());
    sweep = nodes == null ? new Sweep(config, request, mine.run(), file, processes, progress)
        : Sweep.over(nodes, config, request, mine.run(), file, progress);
    // the run goes on threads of its own (its own Vert.x, for its own cluster); its end comes back to this one
    runDone = sweep.run();
    runDone.onComplete(ar -> context.runOnContext(v -> guard.release(mine)
        .onComplete(released -> finish(mine.run(), ar.result()))));
  }

  private void finish(String runId, RunRecord record) {
    sweep = null;
    cancelling.forEach(m -> m.reply(record.toJson()));
    cancelling.clear();
    runs.put(record.id(), record);
    meters.record(record);
    vertx.eventBus().publish(Addresses.SQUARES_FINISHED, record.toJson());
    Message<Object> requester = waiting.remove(runId);
    if (requester != null && record.ok()) {
      requester.reply(record.toJson());
    } else if (requester != null) {
      requester.fail(record.cancelled() ? Failures.CONFLICT : Failures.UNEXPECTED,
          "run " + runId + " " + record.status() + ": " + record.error());
    }
  }

  /** Serve is stopping: a run still going is cancelled (it stops its nodes and is recorded as cancelled). */
  @Override
  public Future<?> stop() {
    meters.remove();
    if (watch != null) {
      watch.stop();
    }
    if (sweep == null) {
      return Future.succeededFuture();
    }
    sweep.cancel("serve stopped");
    NodeProcesses started = processes;
    // should the sweep not wind down in time, stop its nodes from here, and stop without it: a run that never
    // ends must not keep serve from stopping
    io.vertx.core.Promise<Void> stopped = io.vertx.core.Promise.promise();
    long timer = vertx.setTimer(config.squaresStopGraceMs() + 20_000, id -> {
      started.killAllNow();
      if (stopped.tryComplete()) {
        log.warn("run {} did not wind down within {} ms of its cancel; its nodes were killed", sweep.runId(),
            config.squaresStopGraceMs() + 20_000);
      }
    });
    runDone.onComplete(ar -> {
      vertx.cancelTimer(timer);
      stopped.tryComplete();
    });
    return stopped.future();
  }
}
