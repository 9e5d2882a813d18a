package io.concurrencylab.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Where the metrics options live. Vert.x takes its metrics options when it is built, so the command that builds
 * Vert.x asks for them here: {@code Vertx.vertx(new VertxOptions().setMetricsOptions(Metrics.options()))}, or
 * {@code Vertx.builder().with(...)} for a clustered instance. {@code /metrics} then shows Vert.x's meters (event
 * bus per address, HTTP server, JVM) and the lab's own ({@link LabMeters}).
 */
public final class Metrics {
  /** The Micrometer registry Vert.x creates for these options. */
  public static final String REGISTRY = "concurrency-lab";

  private Metrics() {}

  /** Prometheus-backed Micrometer metrics, JVM meters included, scraped at {@code /metrics}. */
  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(REGISTRY)
        .setJvmMetricsEnabled(true)
        // per address: which part of the contract is busy (reply addresses are not counted by Vert.x)
        .addLabels(Label.EB_ADDRESS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  /**
   * The registry {@code /metrics} shows: the one Vert.x fills when it was built with {@link #options()}; otherwise
   * (tests, a Vert.x built without metrics) a registry of our own, so the lab's meters still show.
   */
  static PrometheusMeterRegistry registry(Vertx vertx) {
    MeterRegistry registry = vertx.isMetricsEnabled() ? BackendRegistries.getNow(REGISTRY) : null;
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return prometheus;
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry child : composite.getRegistries()) {
        if (child instanceof PrometheusMeterRegistry prometheus) {
          return prometheus;
        }
      }
    }
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
