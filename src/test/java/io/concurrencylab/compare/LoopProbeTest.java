package io.concurrencylab.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.CompareMessages.Lateness;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probe tells a blocked event loop from a free one: the same work (a busy wait), once on the probe's loop, once
 * on a worker thread. Blocked, a timer due during the work fires only after it: late by at least the work's length
 * minus one period. Free, it fires on time, give or take the machine's scheduling.
 */
class LoopProbeTest {
  private static final long PERIOD_MS = 10;
  private static final long BUSY_MS = 300;
  private Vertx vertx;
  private LoopProbe probe;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setMaxEventLoopExecuteTime(10)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
    probe = new LoopProbe(PERIOD_MS);
    vertx.deployVerticle(probe).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aTimerOnABlockedLoopFiresOnlyAfterTheWork() {
    probe.begin().await();
    Promise<Long> busy = Promise.promise();
    vertx.runOnContext(v -> busy.complete(spin())); // on the one event loop, the probe's
    long blockedMs = busy.future().await();
    Lateness late = LoopProbe.summary(probe.end().await());
    assertThat(late.samples()).isPositive();
    assertThat(late.maxMs()).as("lateness with the loop busy for " + blockedMs + " ms")
        .isGreaterThanOrEqualTo(blockedMs - PERIOD_MS);
  }

  @Test
  void aTimerOnAFreeLoopFiresOnTimeWhileTheWorkRunsOnAWorker() {
    probe.begin().await();
    long busyMs = vertx.executeBlocking(LoopProbeTest::spin).await(); // a worker thread; the loop stays free
    Lateness late = LoopProbe.summary(probe.end().await());
    assertThat(late.samples()).as("timers fired while the worker was busy").isGreaterThan(3);
    assertThat(late.maxMs()).as("lateness with the work on a worker for " + busyMs + " ms")
        .isLessThan(busyMs - PERIOD_MS);
  }

  /** Burns one thread for {@link #BUSY_MS}; returns how long it really took. */
  private static long spin() {
    long start = System.nanoTime();
    long until = start + TimeUnit.MILLISECONDS.toNanos(BUSY_MS);
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
