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

/** {@code /metrics}: Vert.x's meters through {@link Metrics#options()}, and the lab's own fed from public events. */
class MetricsTest {
  private WebFixture web;

  @BeforeEach
  void start() {
    web = WebFixture.start(new VertxOptions().setMetricsOptions(Metrics.options()), WebFixture.config(), true,
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
  void showsVertxMetersAndCountsListChanges() throws Exception {
    web.post("/api/list", "1");
    web.post("/api/list", "2");
    web.call(HttpMethod.DELETE, "/api/list/head", null);
    String text = scrapeUntil("lab_list_changes_total{op=\"add\"} 2.0", "lab_list_changes_total{op=\"remove\"} 1.0",
        "lab_list_size 1.0");
    assertThat(text).contains("lab_list_events_missed_total 0.0")
        .contains("vertx_eventbus_sent_total{address=\"lab.list.add\"")
        .contains("vertx_http_server_requests_total")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void recordsSquaresTimingsPerSizeAndPhase() throws Exception {
    RunRecord run = new RunRecord("r-1", "2026-11-25T10:00:00Z", "2026-11-25T10:00:05Z",
        new RunRequest(List.of(2, 4), 1, 10, 0), true, null,
        List.of(new SizeResult(2, 5, 900.0, 12.5, 300.0, 1212.5, 0, List.of(), List.of()),
            new SizeResult(4, 3, 1500.0, 8.0, 400.0, 1908.0, 0, List.of(), List.of())),
        null, new JsonObject());
    web.vertx.eventBus().publish(Addresses.SQUARES_FINISHED, run.toJson());
    String text = scrapeUntil("lab_squares_phase_milliseconds_sum{phase=\"compute\",size=\"2\"} 12.5",
        "lab_squares_phase_milliseconds_sum{phase=\"launch\",size=\"4\"} 1500.0");
    assertThat(text).contains("lab_squares_phase_milliseconds_count{phase=\"total\",size=\"4\"} 1")
        .contains("lab_squares_runs_total{ok=\"true\"} 1.0");
  }

  @Test
  void aMalformedEventIsSkippedAndTheMetersGoOn() throws Exception {
    web.vertx.eventBus().publish(Addresses.SQUARES_FINISHED, new JsonObject().put("id", "broken"));
    web.vertx.eventBus().publish(Addresses.LIST_CHANGED, new JsonObject().put("op", "sideways"));
    web.post("/api/list", "1");
    scrapeUntil("lab_list_changes_total{op=\"add\"} 1.0");
  }
}
