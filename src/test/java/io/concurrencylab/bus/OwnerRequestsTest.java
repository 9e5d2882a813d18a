package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests held across a failover: sent again with the same id until an owner answers, then 503 past the hold. */
class OwnerRequestsTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aRequestReachingAServeThatNoLongerOwnsTheListIsSentAgainWithTheSameId() {
    List<String> ids = new CopyOnWriteArrayList<>();
    AtomicInteger tries = new AtomicInteger();
    vertx.eventBus().consumer(Addresses.LIST_ADD, m -> {
      ids.add(m.headers().get(ListMessages.REQUEST_ID));
      if (tries.incrementAndGet() < 3) {
        m.fail(Failures.NOT_READY, ListMessages.NOT_OWNER);
      } else {
        m.reply("ok");
      }
    }).completion().await();
    Object reply = OwnerRequests.request(vertx, Addresses.LIST_ADD, 1, new DeliveryOptions(), 5_000).await().body();
    assertThat(reply).isEqualTo("ok");
    assertThat(ids).hasSize(3).allMatch(id -> id.equals(ids.get(0)));
  }

  @Test
  void aClientsOwnIdIsKeptAndNoOwnerYetIsWaitedFor() {
    List<String> ids = new CopyOnWriteArrayList<>();
    vertx.setTimer(300, t -> vertx.eventBus().consumer(Addresses.LIST_REMOVE, m -> {
      ids.add(m.headers().get(ListMessages.REQUEST_ID));
      m.reply("removed");
    })); // the new owner registers a moment later
    DeliveryOptions mine = new DeliveryOptions().addHeader(ListMessages.REQUEST_ID, "client-42");
    assertThat(OwnerRequests.request(vertx, Addresses.LIST_REMOVE, null, mine, 5_000).await().body())
        .isEqualTo("removed");
    assertThat(ids).containsExactly("client-42");
    assertThat(mine.getHeaders().size()).as("the caller's options are not changed").isEqualTo(1);
  }

  @Test
  void pastTheHoldItIsA503OwnerFailingOverAndARealRefusalIsNotRetried() {
    assertThatThrownBy(() -> OwnerRequests.request(vertx, Addresses.LIST_SNAPSHOT, null, new DeliveryOptions(), 300)
        .await()).isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(e.failureCode()).isEqualTo(503);
          assertThat(e.getMessage()).startsWith(ListMessages.FAILING_OVER).contains("list.failoverHoldMs");
        });
    AtomicInteger tries = new AtomicInteger();
    vertx.eventBus().consumer(Addresses.LIST_ADD, m -> {
      tries.incrementAndGet();
      m.fail(Failures.CONFLICT, "list is full");
    }).completion().await();
    assertThatThrownBy(() -> OwnerRequests.request(vertx, Addresses.LIST_ADD, 1, new DeliveryOptions(), 5_000).await())
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(409));
    assertThat(tries.get()).isEqualTo(1);
  }
}
