package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ShortBodyTest {
  @Test
  void smallBodiesAreShownAsJson() {
    assertThat(ShortBody.of(null)).isEqualTo("null");
    assertThat(ShortBody.of(42)).isEqualTo("42");
    assertThat(ShortBody.of("hi")).isEqualTo("\"hi\"");
    assertThat(ShortBody.of(new JsonObject().put("value", 42))).isEqualTo("{\"value\":42}");
    assertThat(ShortBody.of(new JsonArray().add(1).add(2))).isEqualTo("[1,2]");
    assertThat(ShortBody.of(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, "bad"))).isEqualTo("400 bad");
    // a list change as a serve publishes it (a record, made JSON by its codec): shown as its JSON
    assertThat(ShortBody.of(new io.concurrencylab.bus.ListMessages.Changed(
        io.concurrencylab.bus.ListMessages.Op.ADD, 5L, 1, 3))).isEqualTo("{\"op\":\"add\",\"value\":5,\"size\":1,\"seq\":3}");
  }

  @Test
  void longStringsAreCutAndTheOriginalIsLeftAlone() {
    JsonObject body = new JsonObject().put("value", "1".repeat(100)).put("note", "x".repeat(50));
    assertThat(ShortBody.of(body)).isEqualTo("{\"value\":\"1111111111111111…(100 digits)\",\"note\":\"xxxxxxxxxxxxxxxx…(50 chars)\"}");
    assertThat(body.getString("value")).hasSize(100);
  }

  @Test
  void everythingIsCutToTheMaximum() {
    JsonArray big = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      big.add(i);
    }
    assertThat(ShortBody.of(big)).hasSize(ShortBody.MAX).endsWith("…");
  }
}
