package io.concurrencylab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bench's teardown floors: each measures real processes ended together, and leaves none behind. */
class IdleJvmTest {
  @Test
  void sleepProcessesKilledTogetherAreAllReapedAndTimed() throws Exception {
    long before = sleepers();

    double ms = IdleJvm.killSleepersTogether(3);

    assertThat(ms).isPositive().isLessThan(30_000);
    assertThat(sleepers()).isEqualTo(before);
  }

  /** This JVM's own {@code sleep} children (killTogether reaps each: none is even a zombie). */
  private static long sleepers() {
    return ProcessHandle.current().children()
        .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false)).count();
  }
}
