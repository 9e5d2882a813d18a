package io.concurrencylab.list;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Does {@link #act()} again and again, a random min..max ms after the previous act completed, like the lesson's
 * threads with their {@code time.sleep}. A timer instead of a sleep: the event loop stays free in between.
 */
abstract class PacedVerticle extends VerticleBase {
  private final Pacer pacer;
  private long timer = -1;
  private boolean stopped;

  PacedVerticle(long minMs, long maxMs) {
    this.pacer = new Pacer(minMs, maxMs);
  }

  /** One step; the next is scheduled once it completes, whether it succeeded or not. */
  abstract Future<?> act();

  @Override
  public Future<?> start() {
    schedule();
    return Future.succeededFuture();
  }

  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(pacer.next(), id -> act().onComplete(ar -> schedule()));
    }
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
