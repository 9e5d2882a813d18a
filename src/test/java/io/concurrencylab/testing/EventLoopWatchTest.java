package io.concurrencylab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watch itself must catch a blocked event loop, or the tests relying on it prove nothing. */
class EventLoopWatchTest {
  @Test
  void catchesAnEventLoopBlockedPastTheLimit() throws Exception {
    try (EventLoopWatch watch = new EventLoopWatch()) {
      watch.vertx().runOnContext(v -> {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EventLoopWatch.LIMIT_MS * 4);
        while (System.nanoTime() < until) {
          Thread.onSpinWait(); // deliberately CPU-bound on the event loop
        }
      });
      assertThat(watch.awaitFirstBlocked(5, TimeUnit.SECONDS)).isTrue();
      assertThat(watch.blocked().get(0)).contains("eventloop");
    }
  }
}
