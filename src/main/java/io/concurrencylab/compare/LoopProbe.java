package io.concurrencylab.compare;

import io.concurrencylab.bus.CompareMessages.Lateness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;

/**
 * What blocking an event loop costs the other handlers on it: a timer due every {@code periodMs} on the loop, and
 * how late each one fires. On a free loop a timer fires within a millisecond of its time; on a loop busy with a
 * CPU task it fires only once the task (and whatever was queued before the timer) is done.
 */
final class LoopProbe extends VerticleBase {
  private final long periodMs;
  private final List<Double> lateMs = new ArrayList<>();
  private boolean running;
  private long timer = -1;
  private long dueAt;

  LoopProbe(long periodMs) {
    this.periodMs = periodMs;
  }

  long periodMs() {
    return periodMs;
  }

  /** Starts measuring (from any thread); completes once the first timer is set. */
  Future<Void> begin() {
    Promise<Void> begun = Promise.promise();
    context.runOnContext(v -> {
      lateMs.clear();
      running = true;
      next();
      begun.complete();
    });
    return begun.future();
  }

  private void next() {
    dueAt = System.nanoTime() + periodMs * 1_000_000;
    timer = vertx.setTimer(periodMs, id -> {
      lateMs.add(Math.max(0, System.nanoTime() - dueAt) / 1e6);
      if (running) {
        next();
      }
    });
  }

  /** Stops measuring (from any thread); how late each timer fired since {@link #begin} (ms). */
  Future<List<Double>> end() {
    Promise<List<Double>> ended = Promise.promise();
    context.runOnContext(v -> {
      running = false;
      if (vertx.cancelTimer(timer) && System.nanoTime() > dueAt) {
        lateMs.add((System.nanoTime() - dueAt) / 1e6); // overdue and not fired yet: late at least by this much
      }
      ended.complete(List.copyOf(lateMs));
    });
    return ended.future();
  }

  static Lateness summary(List<Double> lateMs) {
    if (lateMs.isEmpty()) {
      return new Lateness(0, 0, 0);
    }
    double[] sorted = lateMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Lateness(Stats.round(sorted[sorted.length - 1]), Stats.round(Stats.median(sorted)), sorted.length);
  }
}
