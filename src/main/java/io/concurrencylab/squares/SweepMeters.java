package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The sweeps' meters, recorded by the process that ran the sweep when it ends (never from
 * {@code lab.squares.finished} events, which anyone on the cluster could publish):
 * {@code lab_squares_phase_milliseconds{size, phase, nodes}} (count, sum, max of launch, compute, teardown and total
 * per cluster size; sizes are bounded by {@code squares.maxNodes}, so the labels are too; {@code nodes} is the run's
 * {@code launch} or {@code cluster}: a run over nodes already up neither starts nor stops a process, so its phases
 * are kept apart from a launched run's) and
 * {@code lab_squares_runs_total{ok}}. In Micrometer's global registry, which {@code serve}'s {@code /metrics} reads.
 */
final class SweepMeters {
  private final MeterRegistry registry = Metrics.globalRegistry;
  private final Set<Meter> meters = new LinkedHashSet<>();

  void record(RunRecord run) {
    remember(Counter.builder("lab.squares.runs").tag("ok", String.valueOf(run.ok()))
        .description("Squares sweeps finished").register(registry)).increment();
    for (SizeResult size : run.sizes()) {
      if (!size.complete()) {
        continue; // a size a failure or cancel stopped: its phases are partial, not a timing of the size
      }
      String nodes = run.request().nodes().wire();
      phase(size.size(), nodes, "launch").record(size.launchMs());
      phase(size.size(), nodes, "compute").record(size.computeMs());
      phase(size.size(), nodes, "teardown").record(size.teardownMs());
      phase(size.size(), nodes, "total").record(size.totalMs());
    }
  }

  void remove() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  private DistributionSummary phase(int size, String nodes, String phase) {
    return remember(DistributionSummary.builder("lab.squares.phase").baseUnit("milliseconds")
        .tag("size", String.valueOf(size)).tag("nodes", nodes).tag("phase", phase)
        .description("Squares sweep time per cluster size and phase").register(registry));
  }

  private <M extends Meter> M remember(M meter) {
    meters.add(meter);
    return meter;
  }
}
