package io.concurrencylab.compare;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;

/** Cancels a comparison from another thread: what runs is stopped (nodes, Python), the report says cancelled. */
public final class Control {
  private final Promise<Void> cancelled = Promise.promise();
  private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

  public void cancel() {
    if (cancelled.tryFail(new CancellationException("cancelled"))) {
      hooks.forEach(Runnable::run);
    }
  }

  public boolean isCancelled() {
    return cancelled.future().failed();
  }

  void onCancel(Runnable hook) {
    hooks.add(hook);
    if (isCancelled()) {
      hook.run();
    }
  }

  void check() {
    if (isCancelled()) {
      throw new CancellationException("cancelled");
    }
  }

  /** Waits for {@code f}, or until cancelled (then throws {@link CancellationException}). */
  <T> T await(Future<T> f) {
    Promise<T> either = Promise.promise();
    f.onComplete(ar -> { // try-: the cancel may have come first
      if (ar.succeeded()) {
        either.tryComplete(ar.result());
      } else {
        either.tryFail(ar.cause());
      }
    });
    cancelled.future().onFailure(either::tryFail);
    T result = either.future().await();
    check();
    return result;
  }
}
