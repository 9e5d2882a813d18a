package io.concurrencylab.list;

import java.util.concurrent.ThreadLocalRandom;

/** A random delay in [min, max] ms, like the lesson's {@code time.sleep(random.uniform(...))}, but as a timer. */
record Pacer(long minMs, long maxMs) {
  Pacer {
    if (minMs < 1 || maxMs < minMs) {
      throw new IllegalArgumentException("interval must satisfy 1 <= min <= max, got " + minMs + ".." + maxMs);
    }
  }

  long next() {
    return ThreadLocalRandom.current().nextLong(minMs, maxMs + 1);
  }
}
