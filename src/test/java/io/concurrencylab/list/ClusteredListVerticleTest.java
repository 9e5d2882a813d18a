package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ListMessages;
import io.concurrencylab.bus.OwnerRequests;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One clustered list on a cluster of one serve (in-process): what its owner accepts, and from whom. */
class ClusteredListVerticleTest {
  private Vertx vertx;

  /** A cluster of one serve, "a". */
  private static final ClusteredListVerticle.Serves ONE = new ClusteredListVerticle.Serves() {
    @Override
    public String self() {
      return "a";
    }

    @Override
    public List<String> live() {
      return List.of("a");
    }

    @Override
    public void onChange(Runnable change) {}
  };

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    io.vertx.core.Promise<JsonObject> owns = io.vertx.core.Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.LIST_OWNER_CHANGED, m -> owns.tryComplete(m.body()))
        .completion().await();
    vertx.deployVerticle(new ClusteredListVerticle(ONE, 100, 500, 3_000, self -> List.of())).await();
    // a serve alone elects itself (its own majority)
    assertThat(owns.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS).await().getString("owner"))
        .isEqualTo("a");
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private JsonObject ownerInfo() {
    return vertx.eventBus().<JsonObject>request(Addresses.LIST_OWNER, null).await().body();
  }

  private JsonObject snapshot() {
    return OwnerRequests.<JsonObject>request(vertx, Addresses.LIST_SNAPSHOT, null, new DeliveryOptions(), 2_000)
        .await().body();
  }

  @Test
  void theOwnerInfoTakesNoBody() {
    assertThatThrownBy(() -> vertx.eventBus().request(Addresses.LIST_OWNER, 5).await())
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.getMessage())
            .isEqualTo("lab.list.owner takes no body, got 5"));
    assertThat(ownerInfo().getString("answeredBy")).isNotNull();
  }

  @Test
  void aRequestPassedOnByAServeOutsideTheClusterIsIgnored() {
    // passed on by this serve: stamped with its id (over what the sender put there), applied
    DeliveryOptions stamped = new DeliveryOptions().addHeader(ListMessages.VIA_SERVE, "elsewhere");
    assertThat(OwnerRequests.<JsonObject>request(vertx, Addresses.LIST_ADD, 1, stamped, 2_000).await().body()
        .getInteger("size")).isEqualTo(1);
    // as a request from a serve cut off arrives once the link heals: it names a serve not in this cluster
    DeliveryOptions late = new DeliveryOptions().setSendTimeout(500).addHeader(ListMessages.VIA_SERVE, "z");
    assertThatThrownBy(() -> vertx.eventBus().request(Addresses.LIST_ADD, 2, late).await())
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureType()).as("no answer")
            .isEqualTo(ReplyFailure.TIMEOUT));
    assertThatThrownBy(() -> vertx.eventBus().request(Addresses.LIST_REMOVE, null, late).await())
        .isInstanceOf(ReplyException.class);
    assertThat(snapshot().getJsonArray("items").getList()).as("nothing from outside applied").containsExactly(1L);
  }

  /** The bridge passes a client's requestId header on as given: the owner, which remembers ids, bounds them. */
  @Test
  void aRequestIdLongerThan200CharactersIsRefusedAndNothingApplied() {
    for (String address : List.of(Addresses.LIST_ADD, Addresses.LIST_REMOVE)) {
      DeliveryOptions longId = new DeliveryOptions().addHeader(ListMessages.REQUEST_ID, "r".repeat(201));
      assertThatThrownBy(() -> OwnerRequests.request(vertx, address, address.equals(Addresses.LIST_ADD) ? 7 : null,
          longId, 2_000).await()).isInstanceOfSatisfying(ReplyException.class, e -> {
            assertThat(e.failureCode()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("requestId is 201 characters long, more than 200: give a shorter id");
          });
    }
    assertThat(OwnerRequests.<JsonObject>request(vertx, Addresses.LIST_SNAPSHOT, null, new DeliveryOptions(), 2_000)
        .await().body().getJsonArray("items")).isEmpty();
  }

  @Test
  void aRequestArrivingAfterItsHoldIsIgnored() {
    // an attempt whose serve already answered its client 503 (its hold ended a second ago), delivered late
    DeliveryOptions late = new DeliveryOptions().setSendTimeout(500)
        .addHeader(ListMessages.HOLD_UNTIL, Long.toString(System.currentTimeMillis() - 1_000));
    assertThatThrownBy(() -> vertx.eventBus().request(Addresses.LIST_ADD, 2, late).await())
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureType()).as("no answer")
            .isEqualTo(ReplyFailure.TIMEOUT));
    assertThat(snapshot().getJsonArray("items").getList()).as("not applied").isEmpty();
    // a client cannot shorten (or stretch) the hold: the serve sets it, over any value given
    DeliveryOptions forged = new DeliveryOptions().addHeader(ListMessages.HOLD_UNTIL, "0");
    assertThat(OwnerRequests.<JsonObject>request(vertx, Addresses.LIST_ADD, 3, forged, 2_000).await().body()
        .getInteger("size")).isEqualTo(1);
  }

  /**
   * A new serve (no state: never counted among a list's voters) that saw serves a and b, then finds itself alone
   * (cut off from them before it was counted in): it starts no list of its own on its side, and says why.
   */
  @Test
  void aNewServeCutOffFromTheOthersStartsNoListOfItsOwn() throws Exception {
    Vertx apart = Vertx.vertx();
    try (io.concurrencylab.testing.LogCapture log = new io.concurrencylab.testing.LogCapture()) {
      java.util.concurrent.atomic.AtomicReference<List<String>> live = new java.util.concurrent.atomic.AtomicReference<>(
          List.of("a", "b", "c"));
      java.util.concurrent.atomic.AtomicReference<Runnable> changed = new java.util.concurrent.atomic.AtomicReference<>();
      ClusteredListVerticle.Serves serves = new ClusteredListVerticle.Serves() {
        @Override
        public String self() {
          return "c";
        }

        @Override
        public List<String> live() {
          return live.get();
        }

        @Override
        public void onChange(Runnable change) {
          changed.set(change);
        }
      };
      ClusteredListVerticle c = new ClusteredListVerticle(serves, 100, 500, 3_000, self -> List.of());
      apart.deployVerticle(c).await();
      live.set(List.of("c")); // a and b are gone from its side
      changed.get().run();
      assertThat(log.awaitWarning("no list owner on this side", 10_000)).as("refused, and said why")
          .hasValueSatisfying(w -> assertThat(w).contains("1 of the 3 voters"));
      JsonObject info = apart.eventBus().<JsonObject>request(Addresses.LIST_OWNER, null).await().body();
      assertThat(info.getString("owner")).as("no owner named on its side").isNull();
      assertThat(c.owns()).isFalse();
    } finally {
      apart.close().await();
    }
  }

  /**
   * The list's last voter has nobody to hand over to: it stops at once. Before, its leave of the voters waited for
   * a majority of none, until its step-down time (list.stepDownAfterMs, 3 s): every clustered serve alone took 3 s
   * to stop. Here that time is ten minutes, so the old way would not stop within the test's bound.
   */
  @Test
  void theLastVoterStopsAtOnceWithoutWaitingForItsStepDownTime() {
    Vertx alone = Vertx.vertx();
    try {
      io.vertx.core.Promise<JsonObject> owns = io.vertx.core.Promise.promise();
      alone.eventBus().<JsonObject>consumer(Addresses.LIST_OWNER_CHANGED, m -> owns.tryComplete(m.body()))
          .completion().await();
      ClusteredListVerticle c = new ClusteredListVerticle(ONE, 100, 500, 600_000, self -> List.of());
      String id = alone.deployVerticle(c).await();
      owns.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS).await();
      assertThat(OwnerRequests.<JsonObject>request(alone, Addresses.LIST_ADD, 5, new DeliveryOptions(), 2_000).await()
          .body().getInteger("size")).isEqualTo(1);
      alone.undeploy(id).timeout(10, java.util.concurrent.TimeUnit.SECONDS).await();
      assertThat(c.owns()).as("stepped down").isFalse();
    } finally {
      alone.close().await();
    }
  }
}
