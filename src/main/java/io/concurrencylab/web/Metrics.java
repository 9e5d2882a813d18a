package io.concurrencylab.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Where the metrics options live. Vert.x takes its metrics options when it is built, so the command that builds
 * Vert.x asks for them here: {@code Vertx.vertx(new VertxOptions().setMetricsOptions(Metrics.options(..)))}, or
 * {@code Vertx.builder().with(...)} for a clustered instance. {@code /metrics} then shows Vert.x's meters (HTTP
 * server, JVM, and event bus per address if asked for) and the lab's own ({@link LabMeters}).
 */
public final class Metrics {
  /** The Micrometer registry Vert.x creates for these options. */
  public static final String REGISTRY = "concurrency-lab";

  private Metrics() {}

  /**
   * Prometheus-backed Micrometer metrics, JVM meters included, scraped at {@code /metrics}; with {@code eventBus},
   * Vert.x's per-address event-bus meters too ({@code http.eventBusMetrics}). Those are off by default: Vert.x looks
   * each message's meters up by name and tags, several per message, which cost the list owned across serves about a
   * quarter of its throughput (measured with {@code launcher/lab bench list}); the lab's own meters count the list's
   * changes and the sweeps at their source either way.
   */
  public static MicrometerMetricsOptions options(boolean eventBus) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(REGISTRY)
        .setJvmMetricsEnabled(true)
        // per address: which part of the contract is busy (reply addresses are not counted by Vert.x)
        .addLabels(Label.EB_ADDRESS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return eventBus ? options : options.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
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
