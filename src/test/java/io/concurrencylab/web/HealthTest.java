package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.web.WebFixture.Reply;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import org.junit.jupiter.api.Test;

/** {@code /health}: the list owner and factorial workers, plus checks other parts register. */
class HealthTest {
  private static JsonObject check(JsonObject health, String id) {
    JsonArray checks = health.getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (id.equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i);
      }
    }
    throw new AssertionError("no check " + id + " in " + health);
  }

  @Test
  void upWithTheServicesAndAnExtraCheck() {
    try (WebFixture web = WebFixture.start(new VertxOptions(), WebFixture.config(), true,
        w -> w.withHealthCheck("cluster", 1_000, p -> p.complete(Status.OK())))) {
      Reply reply = web.get("/health");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("outcome")).isEqualTo("UP");
      assertThat(check(reply.json(), "list-owner").getString("status")).isEqualTo("UP");
      JsonObject workers = check(reply.json(), "factorial-workers");
      assertThat(workers.getString("status")).isEqualTo("UP");
      assertThat(workers.getJsonObject("data").getInteger("inFlight")).isZero(); // a full pool is busy, still UP
      assertThat(workers.getJsonObject("data").getInteger("maxInFlight")).isPositive();
      assertThat(workers.getJsonObject("data").getLong("sinceProgressMs")).isNotNegative();
      assertThat(check(reply.json(), "cluster").getString("status")).isEqualTo("UP");
    }
  }

  @Test
  void downWhenAServiceIsMissingOrAnExtraCheckFails() {
    try (WebFixture web = WebFixture.start(new VertxOptions(), WebFixture.config(), false,
        w -> w.withHealthCheck("cluster", 1_000, p -> p.complete(Status.KO(new JsonObject().put("members", 0)))))) {
      Reply reply = web.get("/health");
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().getString("outcome")).isEqualTo("DOWN");
      JsonObject workers = check(reply.json(), "factorial-workers");
      assertThat(workers.getString("status")).isEqualTo("DOWN");
      assertThat(workers.getJsonObject("data").getString("error")).contains("lab.factorial.load");
      assertThat(check(reply.json(), "cluster").getString("status")).isEqualTo("DOWN");
      assertThat(check(reply.json(), "list-owner").getString("status")).isEqualTo("UP");
    }
  }

  /** A busy pool that has answered nothing for long is DOWN, with its load and why (a stand-in pool says so here). */
  @Test
  void downWhenTheFactorialPoolIsStuck() {
    try (WebFixture web = WebFixture.start(new VertxOptions(), WebFixture.config(), false, w -> w)) {
      web.vertx.eventBus().consumer(io.concurrencylab.bus.Addresses.FACTORIAL_LOAD, m -> m.reply(
          new io.concurrencylab.bus.FactorialMessages.Load(3, 32, 45_000).toJson())).completion().await();
      Reply reply = web.get("/health");
      assertThat(reply.status()).isEqualTo(503);
      JsonObject workers = check(reply.json(), "factorial-workers");
      assertThat(workers.getString("status")).isEqualTo("DOWN");
      assertThat(workers.getJsonObject("data").getInteger("inFlight")).isEqualTo(3);
      assertThat(workers.getJsonObject("data").getString("error"))
          .isEqualTo("no factorial answered for 45000 ms with 3 in flight: the workers are hung, or starved of CPU");
    }
  }
}
