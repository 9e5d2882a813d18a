package io.concurrencylab.compare;

import io.concurrencylab.bus.CompareMessages.Lateness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** How a way is timed: its runs, each with its wall and CPU time and results, and the ways of a step in turn. */
final class Ways {
  private Ways() {}

  /** The figures of one way: each timed run's wall and CPU time (ms) and results, or why there are none. */
  record Measured(List<Double> wallMs, List<Double> cpuMs, List<List<String>> results, String error) {
    static Measured failed(String error) {
      return new Measured(List.of(), List.of(), List.of(), error);
    }
  }

  /**
   * A warm-up run of each way, then the timed runs in turn (run 1 of each way, run 2 of each, ...): a change in the
   * machine's load during the step then weighs on every way alike, not on whichever ran at that moment.
   */
  static void inTurn(List<Way> ways, int runs, Control control) {
    ways.forEach(Way::warmUp);
    for (int i = 0; i < runs; i++) {
      control.check();
      ways.forEach(Way::once);
    }
  }

  /** One way's runs: each with its wall and CPU time and results (and, with a probe, the lateness it saw). */
  static final class Way {
    private final Callable<List<String>> run;
    private final LongSupplier cpu;
    private final LoopProbe probe;
    private final Consumer<Lateness> lateness;
    private final Control control;
    private final List<Double> walls = new ArrayList<>();
    private final List<Double> cpus = new ArrayList<>();
    private final List<List<String>> results = new ArrayList<>();
    private final List<Double> late = new ArrayList<>();
    private String error;

    Way(Callable<List<String>> run, LongSupplier cpu, LoopProbe probe, Consumer<Lateness> lateness, Control control) {
      this.run = run;
      this.control = control;
      this.cpu = cpu;
      this.probe = probe;
      this.lateness = lateness;
    }

    void warmUp() {
      guarded(run::call);
    }

    void once() {
      guarded(() -> {
        if (probe != null) {
          control.await(probe.begin());
        }
        long c0 = cpu.getAsLong();
        long t0 = System.nanoTime();
        try {
          results.add(run.call());
        } finally {
          if (probe != null) {
            late.addAll(control.await(probe.end())); // also after a failure: its timer must stop
          }
        }
        walls.add(Stats.round((System.nanoTime() - t0) / 1e6));
        long c1 = cpu.getAsLong();
        cpus.add(c0 < 0 || c1 < 0 ? null : Stats.round((c1 - c0) / 1e6));
        return null;
      });
    }

    /** A way that failed runs no more; a cancel ends everything. */
    private void guarded(Callable<?> body) {
      if (error != null) {
        return;
      }
      try {
        body.call();
      } catch (CancellationException e) {
        throw e;
      } catch (Exception e) {
        error = "failed: " + Comparison.describe(e);
      }
    }

    Measured measured() {
      if (error != null) {
        return Measured.failed(error);
      }
      if (probe != null) {
        lateness.accept(LoopProbe.summary(late));
      }
      return new Measured(walls, cpus, results, null);
    }
  }
}
