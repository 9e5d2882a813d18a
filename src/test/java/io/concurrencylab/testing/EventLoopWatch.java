package io.concurrencylab.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x instance whose event loops may run a task for at most {@link #LIMIT_MS} ms; every longer run is recorded
 * (Vert.x itself would only log a warning). Tests that must never block an event loop assert {@link #blocked()} is
 * empty at the end.
 */
public final class EventLoopWatch implements AutoCloseable {
  /**
   * Wall time, so a loop merely waiting for a core counts too: at 50 ms, a loaded 2-core machine tripped it with no
   * code at fault. Work that belongs on a worker (a factorial of 100,000, a map of millions) takes far longer.
   */
  public static final long LIMIT_MS = 200;
  private final Vertx vertx;
  private final List<String> blocked = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);

  public EventLoopWatch() {
    vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(LIMIT_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        // workers may run long (that is what they are for): only event loops are watched
        .setMaxWorkerExecuteTime(1).setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS));
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> {
      if (event.thread().getName().contains("eventloop")) {
        blocked.add(event.thread().getName() + " blocked for " + event.duration() / 1_000_000 + " ms");
        first.countDown();
      }
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  public List<String> blocked() {
    return List.copyOf(blocked);
  }

  /** Waits (bounded) for the first blocked event loop to be reported. */
  public boolean awaitFirstBlocked(long timeout, TimeUnit unit) throws InterruptedException {
    return first.await(timeout, unit);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
