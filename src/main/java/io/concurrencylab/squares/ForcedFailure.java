package io.concurrencylab.squares;

/**
 * What a node throws for a chunk holding the run's {@code failAt} number (Q6 on purpose): an exception of its own
 * type, so nobody mistakes it for a bug, thrown where the squares are computed, so its stack is a real node's.
 */
public final class ForcedFailure extends RuntimeException {
  ForcedFailure(long number) {
    super("square(" + number + ") failed on purpose: the run asked for failAt=" + number);
  }
}
