package io.concurrencylab.web;

/** At most {@link #PER_SECOND} taps a second, so a benchmark through the app cannot flood the page. */
final class TapBudget {
  static final int PER_SECOND = 200;
  private long second;
  private int used;
  private long dropped;

  /** -1: drop this one; otherwise how many were dropped before it (0 mostly). */
  synchronized long take(long nowMs) {
    if (nowMs / 1000 != second) {
      second = nowMs / 1000;
      used = 0;
    }
    if (++used > PER_SECOND) {
      dropped++;
      return -1;
    }
    long before = dropped;
    dropped = 0;
    return before;
  }
}
