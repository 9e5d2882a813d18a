package io.concurrencylab.compare;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.CompareMessages;
import io.concurrencylab.bus.CompareMessages.Progress;
import io.concurrencylab.bus.CompareMessages.Report;
import io.concurrencylab.bus.CompareMessages.Request;
import io.concurrencylab.bus.CompareMessages.Started;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comparison from the event bus, in {@code serve}: {@code lab.compare.start} (reply at once with the run id; 409
 * while one runs: the machine has two cores, two comparisons would only time each other), {@code lab.compare.cancel},
 * {@code lab.compare.latest}. Publishes {@code lab.compare.progress} as each step begins and
 * {@code lab.compare.finished} with the report. All of it local to this process: a serve runs the comparisons asked
 * of it, and its page hears only those. The comparison itself runs on a thread of its own, never on an event loop.
 */
public final class CompareVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CompareVerticle.class);
  private static final DeliveryOptions HERE = new DeliveryOptions().setLocalOnly(true);
  private final LabConfig config;
  private final UnaryOperator<Comparison.Plan> adjust;
  private LatestReport store;
  private JsonObject latest;
  private String running;
  private JsonObject progress;
  private Control control;
  private Future<Void> runDone = Future.succeededFuture();

  public CompareVerticle(LabConfig config) {
    this(config, UnaryOperator.identity());
  }

  /** With {@code adjust} applied to every plan (tests: smaller tasks, another Python). */
  CompareVerticle(LabConfig config, UnaryOperator<Comparison.Plan> adjust) {
    this.config = config;
    this.adjust = adjust;
  }

  @Override
  public Future<?> start() {
    store = new LatestReport(config.dataDir());
    var bus = vertx.eventBus();
    return vertx.executeBlocking(store::readIfChanged).compose(kept -> {
      latest = kept;
      // a lab compare run by hand on this machine keeps its report in the same file: shown as it lands
      vertx.setPeriodic(WATCH_MS, id -> vertx.executeBlocking(store::readIfChanged, false).onSuccess(this::landed));
      return Future.all(List.of(bus.localConsumer(Addresses.COMPARE_START, this::begin).completion(),
          bus.localConsumer(Addresses.COMPARE_CANCEL, this::cancel).completion(),
          bus.localConsumer(Addresses.COMPARE_LATEST, this::latest).completion()));
    });
  }

  private void begin(Message<Object> msg) {
    Request request;
    try {
      request = Request.fromBody(msg.body());
      if (running != null) {
        throw new LabException(Failures.CONFLICT, "a comparison is going (" + running + "): one at a time");
      }
    } catch (LabException e) {
      Failures.reply(msg, e);
      return;
    }
    String runId = Comparison.newRunId();
    Control ctl = new Control();
    Comparison.Plan plan = adjust.apply(Comparison.Plan.of(request, config, runId));
    running = runId;
    control = ctl;
    progress = null;
    Promise<Void> done = Promise.promise();
    runDone = done.future();
    Thread thread = new Thread(() -> {
      String started = Instant.now().toString();
      Report report;
      try {
        report = Comparison.run(runId, plan, this::progressed, ctl);
      } catch (RuntimeException | Error e) { // a bug: still a report, and the next comparison may start
        log.error("comparison {} failed", runId, e);
        report = new Report(runId, started, Instant.now().toString(), false, "failed: " + e, request,
            new JsonObject(), List.of(), null, List.of());
      }
      if (LatestReport.worthKeeping(report.toJson())) {
        store.write(report.toJson());
      }
      Report finished = report;
      context.runOnContext(v -> {
        if (LatestReport.worthKeeping(finished.toJson())) {
          latest = finished.toJson();
        }
        running = null;
        progress = null;
        vertx.eventBus().publish(Addresses.COMPARE_FINISHED, finished.toJson(), HERE);
        done.complete();
      });
    }, "lab-compare-" + runId);
    thread.setDaemon(true); // stop() cancels it and waits for it
    thread.start();
    msg.reply(new Started(runId).toJson());
  }

  /** How often the report file is looked at for a report written by another process. */
  static final long WATCH_MS = 1_000;

  /**
   * A report another process kept: the latest now, and told to the pages as a comparison that finished (not while
   * this serve runs one: its pages wait for that one's end, which replaces it unless it measures nothing).
   */
  private void landed(JsonObject report) {
    if (report == null || latest != null && report.getString("id").equals(latest.getString("id"))) {
      return; // unchanged, or this serve's own (written above)
    }
    latest = report;
    if (running == null) {
      vertx.eventBus().publish(Addresses.COMPARE_FINISHED, latest, HERE);
    }
  }

  /** On the comparison's thread. */
  private void progressed(Progress p) {
    JsonObject json = p.toJson();
    context.runOnContext(v -> {
      if (p.run().equals(running)) {
        progress = json;
        vertx.eventBus().publish(Addresses.COMPARE_PROGRESS, json, HERE);
      }
    });
  }

  private void cancel(Message<Object> msg) {
    try {
      Bodies.none(msg.body(), Addresses.COMPARE_CANCEL);
      if (running == null) {
        throw new LabException(Failures.NOT_FOUND, "no comparison is going");
      }
    } catch (LabException e) {
      Failures.reply(msg, e);
      return;
    }
    String cancelled = running;
    cancelOffTheLoop().onComplete(ar -> msg.reply(new Started(cancelled).toJson()));
  }

  private void latest(Message<Object> msg) {
    try {
      Bodies.none(msg.body(), Addresses.COMPARE_LATEST);
      msg.reply(CompareMessages.latest(latest, running, progress));
    } catch (LabException e) {
      Failures.reply(msg, e);
    }
  }

  /**
   * Cancels on a worker thread: stopping what the comparison started kills processes and waits for them (a Python
   * script's Pool, nodes), seconds at worst, which must not hold this event loop.
   */
  private Future<Void> cancelOffTheLoop() {
    return vertx.executeBlocking(() -> {
      control.cancel();
      return null;
    }, false);
  }

  /** Serve is stopping: a comparison going is cancelled (it stops what it started), and waited for, bounded. */
  @Override
  public Future<?> stop() {
    if (running == null) {
      return Future.succeededFuture();
    }
    cancelOffTheLoop();
    Promise<Void> stopped = Promise.promise();
    runDone.onComplete(ar -> stopped.tryComplete());
    long timer = vertx.setTimer(config.squaresStopGraceMs() + 20_000, id -> {
      log.warn("comparison {} did not stop in time; leaving it", running);
      stopped.tryComplete();
    });
    return stopped.future().onComplete(ar -> vertx.cancelTimer(timer));
  }
}
