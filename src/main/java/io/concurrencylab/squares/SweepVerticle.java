package io.concurrencylab.squares;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.Started;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Squares runs from the event bus, in {@code serve}: {@code lab.squares.start} (reply at once with the run id),
 * {@code lab.squares.run} (reply with the record when done), {@code lab.squares.runs} (the history, read at start).
 * One run at a time (the machine has two cores; two sweeps would only time each other): 409 while one is going.
 * Publishes {@code lab.squares.progress} while a run goes and {@code lab.squares.finished} with its record.
 */
public final class SweepVerticle extends VerticleBase {
  private final LabConfig config;
  private final List<RunRecord> history = new ArrayList<>();
  private final SweepMeters meters = new SweepMeters();
  private final java.util.Map<String, Message<Object>> waiting = new java.util.HashMap<>();
  private RunHistory file;
  private String running;
  private NodeProcesses processes;
  private Sweep.Control control;
  private Future<Void> runDone;

  public SweepVerticle(LabConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    file = new RunHistory(config.dataDir());
    var bus = vertx.eventBus();
    return vertx.executeBlocking(file::readAll).compose(records -> {
      history.addAll(records);
      return Future.all(
          bus.consumer(Addresses.SQUARES_START, msg -> begin(msg).onSuccess(id -> msg.reply(new Started(id).toJson())))
              .completion(),
          bus.consumer(Addresses.SQUARES_RUN, this::runAndReply).completion(),
          bus.consumer(Addresses.SQUARES_RUNS, this::runs).completion());
    });
  }

  private void runs(Message<Object> msg) {
    try {
      Bodies.none(msg.body(), Addresses.SQUARES_RUNS);
      msg.reply(SquaresMessages.runs(history));
    } catch (RuntimeException e) {
      Failures.reply(msg, e);
    }
  }

  /** Replies once the run is over: give the request a timeout long enough for the whole sweep. */
  private void runAndReply(Message<Object> msg) {
    begin(msg).onSuccess(runId -> waiting.put(runId, msg));
  }

  /** Validates and starts a run; answers the request itself when refusing (400, 409). */
  private Future<String> begin(Message<Object> msg) {
    RunRequest request;
    try {
      request = RunRequest.fromBody(msg.body(), config.squaresMaxNodes(), config.squaresMaxNumbers());
      if (running != null) {
        throw new LabException(Failures.CONFLICT, "a squares run is going (" + running + "): one at a time");
      }
    } catch (LabException e) {
      Failures.reply(msg, e);
      return Future.failedFuture(e);
    }
    String runId = Sweep.newRunId();
    running = runId;
    processes = new NodeProcesses(config.squaresNodeJvmFlags(), config.dataDir().resolve("logs").resolve(runId));
    NodeProcesses mine = processes;
    Sweep.Control control = new Sweep.Control();
    this.control = control;
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    runDone = done.future();
    // The sweep builds a Vert.x of its own (its own cluster): from a plain thread, not from inside this one.
    java.util.concurrent.CompletableFuture.supplyAsync(() -> Sweep.run(config, request, runId, file, mine,
            p -> vertx.eventBus().publish(Addresses.SQUARES_PROGRESS, p.toJson()), control))
        .thenAccept(f -> f.onComplete(ar -> done.tryComplete()).onComplete(ar -> context.runOnContext(v -> {
          RunRecord record = ar.result();
          history.add(record);
          meters.record(record);
          running = null;
          vertx.eventBus().publish(Addresses.SQUARES_FINISHED, record.toJson());
          Message<Object> requester = waiting.remove(runId);
          if (requester != null && record.ok()) {
            requester.reply(record.toJson());
          } else if (requester != null) {
            requester.fail(Failures.UNEXPECTED, "run " + runId + " failed: " + record.error());
          }
        })));
    return Future.succeededFuture(runId);
  }

  /** Serve is stopping: a run still going is interrupted (it stops its nodes and is recorded as interrupted). */
  @Override
  public Future<?> stop() {
    meters.remove();
    if (running == null) {
      return Future.succeededFuture();
    }
    control.interrupt("serve stopped");
    io.vertx.core.Promise<Void> stopped = io.vertx.core.Promise.promise();
    runDone.onComplete(ar -> stopped.tryComplete());
    // should the sweep not wind down in time, stop its nodes from here
    long timer = vertx.setTimer(config.squaresStopGraceMs() + 20_000,
        id -> processes.stopAll(config.squaresStopGraceMs()).onComplete(ar -> stopped.tryComplete()));
    return stopped.future().onComplete(ar -> vertx.cancelTimer(timer));
  }
}
