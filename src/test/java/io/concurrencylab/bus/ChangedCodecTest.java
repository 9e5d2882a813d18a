package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ListMessages.Changed;
import io.concurrencylab.bus.ListMessages.Op;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChangedCodecTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A change published as a record reaches each consumer as its own JSON object, as any JSON event would. */
  @Test
  void eachConsumerGetsTheChangeAsItsOwnJson() throws Exception {
    ChangedCodec.register(vertx.eventBus());
    ChangedCodec.register(vertx.eventBus()); // once per event bus, however many verticles ask
    List<Object> got = new CopyOnWriteArrayList<>();
    CountDownLatch both = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      vertx.eventBus().consumer(Addresses.LIST_CHANGED, m -> {
        got.add(m.body());
        both.countDown();
      }).completion().await(5, TimeUnit.SECONDS);
    }
    Changed changed = new Changed(Op.REMOVE, 7L, 0, 12);
    vertx.eventBus().publish(Addresses.LIST_CHANGED, changed, ChangedCodec.HERE);
    assertThat(both.await(5, TimeUnit.SECONDS)).as("both consumers got it").isTrue();
    assertThat(got).hasSize(2).allSatisfy(body -> assertThat(body).isEqualTo(changed.toJson()));
    assertThat(got.get(0)).isNotSameAs(got.get(1));
    assertThat(Changed.fromJson((JsonObject) got.get(0))).isEqualTo(changed);
  }
}
