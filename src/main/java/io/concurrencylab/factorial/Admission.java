package io.concurrencylab.factorial;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many factorials are in flight in this process: the gate enters (on its event loop), the worker that answers
 * leaves (on its worker thread). Shared by the two, hence atomic; nothing else reads it.
 */
final class Admission {
  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** When a factorial was last answered, or the pool last went from idle to busy: how /health tells hung from busy. */
  private volatile long progressNanos = System.nanoTime();

  Admission(int limit) {
    this.limit = limit;
  }

  /** Takes a slot if one is free. */
  boolean tryEnter() {
    while (true) {
      int now = inFlight.get();
      if (now >= limit) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        if (now == 0) {
          progressNanos = System.nanoTime();
        }
        return true;
      }
    }
  }

  /** Frees the slot of a request that has been answered. */
  void leave() {
    progressNanos = System.nanoTime();
    inFlight.decrementAndGet();
  }

  int limit() {
    return limit;
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Milliseconds since a factorial was last answered, or since the pool went busy if later. */
  long sinceProgressMs() {
    return (System.nanoTime() - progressNanos) / 1_000_000;
  }
}
