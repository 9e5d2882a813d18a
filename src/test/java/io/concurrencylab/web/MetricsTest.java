package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.concurrencylab.web.WebFixture.Reply;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: Vert.x's meters through {@link Metrics#options}, and the lab's own, counted at their source. */
class MetricsTest {
  private WebFixture web;

  @BeforeEach
  void start() {
    web = WebFixture.start(new VertxOptions().setMetricsOptions(Metrics.options(true)), WebFixture.config(), true,
        UnaryOperator.identity());
  }

  @AfterEach
  void stop() {
    web.close();
  }

  /**
   * Scrapes until every line is there: the meters follow published events, which reach the web verticle on their
   * own schedule, a moment after the HTTP reply that caused them.
   */
  private String scrapeUntil(String... lines) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Reply reply;
    do {
      reply = web.get("/metrics");
      assertThat(reply.status()).isEqualTo(200);
      String text = reply.body();
      if (List.of(lines).stream().allMatch(text::contains)) {
        return text;
      }
      Thread.onSpinWait();
    } while (System.nanoTime() < deadline);
    throw new AssertionError("metrics never showed " + List.of(lines) + ":\n" + reply.body());
  }

  @Test
  void showsVertxMetersAndTheListOwnersOwnCounts() throws Exception {
    web.post("/api/list", "1");
    web.post("/api/list", "2");
    web.call(HttpMethod.DELETE, "/api/list/head", null);
    String text = scrapeUntil("lab_list_changes_total{op=\"add\"} 2.0", "lab_list_changes_total{op=\"remove\"} 1.0",
        "lab_list_size 1.0");
    assertThat(text).contains("vertx_eventbus_sent_total{address=\"lab.list.add\"")
        .contains("vertx_http_server_requests_total")
        .contains("jvm_memory_used_bytes");
  }

  /** http.eventBusMetrics=false (the default): no per-message event-bus meters; the lab's own still count. */
  @Test
  void byDefaultTheEventBusIsNotMeteredPerMessage() throws Exception {
    web.close();
    web = WebFixture.start(new VertxOptions().setMetricsOptions(Metrics.options(false)), WebFixture.config(), true,
        UnaryOperator.identity());
    web.post("/api/list", "1");
    String text = scrapeUntil("lab_list_changes_total{op=\"add\"} 1.0", "vertx_http_server_requests_total");
    assertThat(text).doesNotContain("vertx_eventbus_");
  }

  /**
   * Events on the bus are not the source of any meter: anyone on the cluster could publish them, with a cluster size
   * of their choosing as a label. Only what the owner and the sweeps themselves did is counted.
   */
  @Test
  void forgedEventsChangeNoMeter() throws Exception {
    RunRecord forged = new RunRecord("r-1", "2026-11-25T10:00:00Z", "2026-11-25T10:00:05Z",
        new RunRequest(List.of(12345), 1, 10, 0), true, null,
        List.of(new SizeResult(12345, 5, 900.0, 12.5, 300.0, 1212.5, 0, List.of(), List.of())), null, new JsonObject());
    web.vertx.eventBus().publish(Addresses.SQUARES_FINISHED, forged.toJson());
    web.vertx.eventBus().publish(Addresses.LIST_CHANGED, new JsonObject().put("op", "add").put("value", 5)
        .put("size", 999).put("seq", 1));
    web.post("/api/list", "1"); // a real change, after the forged ones
    String text = scrapeUntil("lab_list_changes_total{op=\"add\"} 1.0");
    assertThat(text).contains("lab_list_size 1.0").doesNotContain("lab_squares_runs_total");
    // the app's own meters only: a JVM gauge's value may hold those digits (a code heap of 5,123,456 bytes did)
    assertThat(text.lines().filter(l -> l.startsWith("lab_"))).noneMatch(l -> l.contains("12345"));
  }
}
