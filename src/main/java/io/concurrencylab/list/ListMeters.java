package io.concurrencylab.list;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The list's meters, counted by its owner as it applies each operation (never from events on the bus, which
 * anyone on the cluster could publish): {@code lab_list_size} and {@code lab_list_changes_total{op}} (add, remove,
 * empty). They go to Micrometer's global registry, which {@code serve}'s {@code /metrics} reads; elsewhere (lab
 * list, tests) nothing reads them and they cost a counter increment.
 */
final class ListMeters {
  private final MeterRegistry registry = Metrics.globalRegistry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter adds;
  private final Counter removes;
  private final Counter empties;
  /** Set by the owner after each operation; read by the scrape, on another thread. */
  private final AtomicInteger size = new AtomicInteger();

  ListMeters() {
    meters.add(Gauge.builder("lab.list.size", size, AtomicInteger::get).description("Items in the list")
        .register(registry));
    adds = counter("add");
    removes = counter("remove");
    empties = counter("empty");
  }

  void added(int sizeNow) {
    adds.increment();
    size.set(sizeNow);
  }

  void removed(boolean wasEmpty, int sizeNow) {
    (wasEmpty ? empties : removes).increment();
    size.set(sizeNow);
  }

  /** When the owner stops: a new owner registers its own (a gauge must not point at a stopped owner's list). */
  void remove() {
    meters.forEach(registry::remove);
  }

  private Counter counter(String op) {
    Counter counter = Counter.builder("lab.list.changes").tag("op", op)
        .description("List operations applied by the owner").register(registry);
    meters.add(counter);
    return counter;
  }
}
