package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.CompareMessages.Request;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A comparison's request: every field optional, threads and processes as many as the cores (2 to 4), bounded. */
class CompareMessagesTest {
  @Test
  void missingFieldsTakeTheDefaultsAndThreadsAndProcessesFollowTheCores() {
    int cores = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    assertThat(Request.fromBody(null)).isEqualTo(new Request(16, 50, cores, cores, 3)).isEqualTo(Request.defaults());
    assertThat(Request.fromBody(new JsonObject().put("nodes", 0).put("runs", 1)))
        .isEqualTo(new Request(16, 50, cores, 0, 1));
    assertThat(Request.validated(4, null, 8, null, null)).isEqualTo(new Request(4, 50, 8, cores, 3));
    Request r = new Request(3, 7, 5, 6, 2);
    assertThat(Request.fromJson(r.toJson())).isEqualTo(r);
  }

  @Test
  void everyFieldIsBounded() {
    assertThatThrownBy(() -> Request.fromBody(new JsonObject().put("tasks", 65))).hasMessage("tasks must be at most 64, got 65");
    assertThatThrownBy(() -> Request.fromBody(new JsonObject().put("delayMs", 2001))).hasMessageContaining("at most 2000");
    assertThatThrownBy(() -> Request.fromBody(new JsonObject().put("threads", 0))).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Request.fromBody(new JsonObject().put("nodes", -1))).hasMessageContaining("0 or more");
    assertThatThrownBy(() -> Request.fromBody(new JsonObject().put("runs", 10))).hasMessageContaining("at most 9");
    assertThatThrownBy(() -> Request.fromBody(new JsonObject().put("runs", 2.5))).hasMessageContaining("not an integer");
    assertThatThrownBy(() -> Request.fromBody(42)).hasMessageContaining("every field optional");
  }
}
