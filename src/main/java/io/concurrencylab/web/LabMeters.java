package io.concurrencylab.web;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ListMessages.Changed;
import io.concurrencylab.bus.ListMessages.Snapshot;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's own meters, fed from public events only (no handler is asked to count for us):
 * <ul>
 *   <li>{@code lab_list_size}, {@code lab_list_changes_total{op}} (add, remove, empty) and
 *       {@code lab_list_events_missed_total} (gaps in the owner's sequence numbers), from {@code lab.list.changed};
 *   <li>{@code lab_squares_phase_milliseconds{size, phase}} (a summary: count, sum, max of launch, compute,
 *       teardown and total per cluster size) and {@code lab_squares_runs_total{ok}}, from {@code lab.squares.finished}.
 * </ul>
 * Counters count what this server saw since it started. Meters are removed on {@link #stop()}, so a redeployment
 * does not leave gauges that point at a dead instance.
 */
final class LabMeters {
  private static final Logger log = LoggerFactory.getLogger(LabMeters.class);
  private final Vertx vertx;
  private final MeterRegistry registry;
  private final Set<Meter> meters = new LinkedHashSet<>();
  private final AtomicLong listSize = new AtomicLong();
  private long lastSeq;

  LabMeters(Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  Future<?> start() {
    meters.add(Gauge.builder("lab.list.size", listSize, AtomicLong::get)
        .description("Items in the list, as of the last lab.list.changed").register(registry));
    meters.add(missed());
    Future<Void> list = vertx.eventBus().<JsonObject>consumer(Addresses.LIST_CHANGED,
        m -> guarded(m.body(), this::listChanged)).completion();
    Future<Void> squares = vertx.eventBus().<JsonObject>consumer(Addresses.SQUARES_FINISHED,
        m -> guarded(m.body(), this::squaresFinished)).completion();
    // The size before the first event; a missing owner only means the gauge waits for one.
    vertx.eventBus().<JsonObject>request(Addresses.LIST_SNAPSHOT, null, new DeliveryOptions().setSendTimeout(2_000))
        .onSuccess(reply -> {
          if (lastSeq == 0) {
            listSize.set(Snapshot.fromJson(reply.body()).size());
          }
        });
    return Future.all(list, squares);
  }

  void stop() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  private void listChanged(JsonObject body) {
    Changed changed = Changed.fromJson(body);
    remember(Counter.builder("lab.list.changes").tag("op", changed.op().name().toLowerCase())
        .description("List operations seen on lab.list.changed").register(registry)).increment();
    if (lastSeq > 0 && changed.seq() > lastSeq + 1) {
      missed().increment(changed.seq() - lastSeq - 1);
    }
    lastSeq = changed.seq();
    listSize.set(changed.size());
  }

  private void squaresFinished(JsonObject body) {
    RunRecord run = RunRecord.fromJson(body);
    remember(Counter.builder("lab.squares.runs").tag("ok", String.valueOf(run.ok()))
        .description("Squares sweeps finished").register(registry)).increment();
    for (SizeResult size : run.sizes()) {
      phase(size.size(), "launch").record(size.launchMs());
      phase(size.size(), "compute").record(size.computeMs());
      phase(size.size(), "teardown").record(size.teardownMs());
      phase(size.size(), "total").record(size.totalMs());
    }
  }

  private DistributionSummary phase(int size, String phase) {
    return remember(DistributionSummary.builder("lab.squares.phase").baseUnit("milliseconds")
        .tag("size", String.valueOf(size)).tag("phase", phase)
        .description("Squares sweep time per cluster size and phase").register(registry));
  }

  private Counter missed() {
    return remember(Counter.builder("lab.list.events.missed")
        .description("lab.list.changed events this server did not receive (gaps in seq)").register(registry));
  }

  private <M extends Meter> M remember(M meter) {
    meters.add(meter);
    return meter;
  }

  /** A malformed event is logged and skipped; it must not stop the meters. */
  private static void guarded(JsonObject body, Consumer<JsonObject> handler) {
    try {
      handler.accept(body);
    } catch (RuntimeException e) {
      log.warn("metrics: skipped a malformed event {}: {}", ShortBody.of(body), e.toString());
    }
  }
}
