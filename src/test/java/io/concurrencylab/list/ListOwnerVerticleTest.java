package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.ListMessages.Added;
import io.concurrencylab.bus.ListMessages.Changed;
import io.concurrencylab.bus.ListMessages.Op;
import io.concurrencylab.bus.ListMessages.Removed;
import io.concurrencylab.bus.ListMessages.Snapshot;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ListOwnerVerticleTest {
  private Vertx vertx;
  private final LinkedBlockingQueue<Changed> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.LIST_CHANGED, m -> events.add(Changed.fromJson(m.body())))
        .completion().await();
    vertx.deployVerticle(new ListOwnerVerticle(3)).await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private JsonObject request(String address, Object body) {
    return vertx.eventBus().<JsonObject>request(address, body).await().body();
  }

  private Snapshot snapshot() {
    return Snapshot.fromJson(request(Addresses.LIST_SNAPSHOT, null));
  }

  private Changed nextEvent() throws InterruptedException {
    Changed e = events.poll(5, TimeUnit.SECONDS);
    assertThat(e).as("a lab.list.changed event").isNotNull();
    return e;
  }

  @Test
  void addsRemovesInOrderAndPublishesEveryChange() throws Exception {
    assertThat(Added.fromJson(request(Addresses.LIST_ADD, 42))).isEqualTo(new Added(42, 1));
    assertThat(Added.fromJson(request(Addresses.LIST_ADD, new JsonObject().put("value", 17)))).isEqualTo(new Added(17, 2));
    assertThat(snapshot()).isEqualTo(new Snapshot(List.of(42L, 17L), 2, 0));

    assertThat(Removed.fromJson(request(Addresses.LIST_REMOVE, null))).isEqualTo(new Removed(42L, 1));
    assertThat(Removed.fromJson(request(Addresses.LIST_REMOVE, null))).isEqualTo(new Removed(17L, 0));
    // an empty list is not an error: the reply says so
    assertThat(Removed.fromJson(request(Addresses.LIST_REMOVE, null))).isEqualTo(new Removed(null, 0));
    assertThat(snapshot()).isEqualTo(new Snapshot(List.of(), 2, 2));

    assertThat(nextEvent()).isEqualTo(new Changed(Op.ADD, 42L, 1, 1));
    assertThat(nextEvent()).isEqualTo(new Changed(Op.ADD, 17L, 2, 2));
    assertThat(nextEvent()).isEqualTo(new Changed(Op.REMOVE, 42L, 1, 3));
    assertThat(nextEvent()).isEqualTo(new Changed(Op.REMOVE, 17L, 0, 4));
    assertThat(nextEvent()).isEqualTo(new Changed(Op.EMPTY, null, 0, 5));
  }

  @Test
  void aFullListRefusesWith409AndStaysAsItWas() throws Exception {
    for (int i = 1; i <= 3; i++) {
      request(Addresses.LIST_ADD, i);
    }
    assertThatThrownBy(() -> request(Addresses.LIST_ADD, 4))
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(e.failureCode()).isEqualTo(Failures.CONFLICT);
          assertThat(e.getMessage()).contains("full").contains("3");
        });
    assertThat(snapshot()).isEqualTo(new Snapshot(List.of(1L, 2L, 3L), 3, 0));
    for (int i = 0; i < 3; i++) {
      nextEvent();
    }
    // the refused add published nothing: the next event is the next change, with the next sequence number
    request(Addresses.LIST_REMOVE, null);
    assertThat(nextEvent()).isEqualTo(new Changed(Op.REMOVE, 1L, 2, 4));
  }

  static List<Object> badBodies() {
    return List.of("42", "forty-two", 4.5, 4.0f, new JsonObject(), new JsonObject().put("value", "42"),
        new JsonObject().put("value", 1.5), new JsonObject().put("val", 42), new JsonObject().put("value", new JsonArray()),
        new JsonArray().add(42), true);
  }

  @ParameterizedTest
  @MethodSource("badBodies")
  void badBodiesFailWith400AndChangeNothing(Object body) throws Exception {
    request(Addresses.LIST_ADD, 7);
    nextEvent();
    assertThatThrownBy(() -> request(Addresses.LIST_ADD, body))
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(Failures.BAD_INPUT);
          assertThat(e.getMessage()).containsAnyOf("integer", "unknown field");
        });
    assertThat(snapshot()).isEqualTo(new Snapshot(List.of(7L), 1, 0));
    request(Addresses.LIST_ADD, 8);
    assertThat(nextEvent()).as("nothing published for the refused add").isEqualTo(new Changed(Op.ADD, 8L, 2, 2));
  }

  /** The answer sent to the requester's own address, with its number: one message each way, no reply handler. */
  @Test
  void answersGoToTheRequestersAddressWhenItAsks() throws Exception {
    LinkedBlockingQueue<io.vertx.core.eventbus.Message<Object>> answers = new LinkedBlockingQueue<>();
    vertx.eventBus().localConsumer("me", answers::add).completion().await();
    io.vertx.core.eventbus.DeliveryOptions mine = new io.vertx.core.eventbus.DeliveryOptions()
        .addHeader(io.concurrencylab.bus.ListMessages.REPLY_TO, "me")
        .addHeader(io.concurrencylab.bus.ListMessages.CORRELATION, "7");
    vertx.eventBus().send(Addresses.LIST_ADD, 42, mine);
    io.vertx.core.eventbus.Message<Object> added = answers.poll(5, TimeUnit.SECONDS);
    assertThat(added.body()).isEqualTo(new JsonObject().put("added", 42).put("size", 1));
    assertThat(added.headers().get(io.concurrencylab.bus.ListMessages.CORRELATION)).isEqualTo("7");
    vertx.eventBus().send(Addresses.LIST_ADD, "abc", mine);
    assertThat(answers.poll(5, TimeUnit.SECONDS).body()).isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureCode()).isEqualTo(400));
    vertx.eventBus().send(Addresses.LIST_REMOVE, null, mine);
    assertThat(answers.poll(5, TimeUnit.SECONDS).body()).isEqualTo(new JsonObject().put("removed", 42).put("size", 0));
  }

  @Test
  void aMissingBodyIsRefusedToo() {
    assertThatThrownBy(() -> request(Addresses.LIST_ADD, null))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
    assertThat(snapshot().size()).isZero();
  }

  /** Like every address that takes no body, lab.list.owner refuses one (it answered whatever it was given). */
  @Test
  void theOwnerInfoTakesNoBody() {
    for (Object body : List.of(5, new io.vertx.core.json.JsonArray().add(1))) {
      assertThatThrownBy(() -> request(Addresses.LIST_OWNER, body))
          .isInstanceOfSatisfying(ReplyException.class, e -> {
            assertThat(e.failureCode()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("lab.list.owner takes no body, got ");
          });
    }
    assertThat(request(Addresses.LIST_OWNER, null).getString("owner")).isEqualTo("local");
  }
}
