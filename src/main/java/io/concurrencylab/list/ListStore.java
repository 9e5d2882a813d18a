package io.concurrencylab.list;

import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.ListMessages.Added;
import io.concurrencylab.bus.ListMessages.Removed;
import io.concurrencylab.bus.ListMessages.Snapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * The list of the lesson, without a lock: it is not thread-safe and does not need to be, because only
 * {@link ListOwnerVerticle} touches it, always on its one event loop. A FIFO deque, because removing the head of an
 * ArrayList is quadratic when the producer runs ahead.
 */
final class ListStore {
  private final int capacity;
  private final ArrayDeque<Long> items = new ArrayDeque<>();
  private long added;
  private long removed;

  ListStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("list.capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** @throws LabException 409 when full; the list is unchanged then */
  Added add(long value) {
    if (items.size() >= capacity) {
      throw new LabException(Failures.CONFLICT, "list is full (capacity " + capacity + ")");
    }
    items.addLast(value);
    added++;
    return new Added(value, items.size());
  }

  /** The head, or an empty result when there is none (not an error: the lesson's consumer just waits). */
  Removed removeHead() {
    Long head = items.pollFirst();
    if (head != null) {
      removed++;
    }
    return new Removed(head, items.size());
  }

  int size() {
    return items.size();
  }

  /** Replaces the content with a replica's (a new owner takes over, a replica catches up). */
  void restore(java.util.List<Long> content, long totalAdded, long totalRemoved) {
    items.clear();
    items.addAll(content);
    added = totalAdded;
    removed = totalRemoved;
  }

  Snapshot snapshot() {
    return new Snapshot(new ArrayList<>(items), added, removed);
  }
}
