package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.SquaresMessages.NodeSource;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepMetersTest {
  @Test
  void recordsTimingsPerSizeAndPhaseAndRemovesThemWhenStopped() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics.addRegistry(prometheus);
    SweepMeters meters = new SweepMeters();
    try {
      meters.record(new RunRecord("r-1", "2026-11-25T10:00:00Z", "2026-11-25T10:00:05Z",
          new RunRequest(List.of(2, 4), 1, 10, 0), true, null,
          List.of(new SizeResult(2, 5, 900.0, 12.5, 300.0, 1212.5, 0, List.of(), List.of()),
              new SizeResult(4, 3, 1500.0, 8.0, 400.0, 1908.0, 0, List.of(), List.of())),
          null, new JsonObject()));
      // a run over the cluster's nodes (nothing launched, nothing stopped) is kept apart
      meters.record(new RunRecord("r-2", "2026-11-25T10:01:00Z", "2026-11-25T10:01:01Z",
          new RunRequest(List.of(2), 1, 10, 0, -1, NodeSource.CLUSTER), true, null,
          List.of(new SizeResult(2, 5, 3.0, 10.0, 8.0, 21.0, 0, List.of(), List.of())), null, new JsonObject()));
      assertThat(prometheus.scrape())
          .contains("lab_squares_phase_milliseconds_sum{nodes=\"launch\",phase=\"compute\",size=\"2\"} 12.5")
          .contains("lab_squares_phase_milliseconds_sum{nodes=\"launch\",phase=\"launch\",size=\"4\"} 1500.0")
          .contains("lab_squares_phase_milliseconds_count{nodes=\"launch\",phase=\"total\",size=\"4\"} 1")
          .contains("lab_squares_phase_milliseconds_sum{nodes=\"launch\",phase=\"teardown\",size=\"2\"} 300.0")
          .contains("lab_squares_phase_milliseconds_sum{nodes=\"cluster\",phase=\"teardown\",size=\"2\"} 8.0")
          .contains("lab_squares_runs_total{ok=\"true\"} 2.0");
      meters.remove();
      assertThat(prometheus.scrape()).doesNotContain("lab_squares");
    } finally {
      meters.remove();
      Metrics.removeRegistry(prometheus);
    }
  }
}
