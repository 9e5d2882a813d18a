package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ReplicaMessages;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The owner changes the voters one at a time: a join waits until the change before it is held by a majority, so any
 * two consecutive sets of voters share a majority (two joins applied in one round, with the owner dying, could have
 * left an older majority that missed the round's operations; seen in a review).
 */
class VoterChangesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aSecondJoinWaitsUntilTheFirstIsHeldByAMajority() throws Exception {
    List<String> live = new CopyOnWriteArrayList<>(List.of("a"));
    List<Runnable> changes = new CopyOnWriteArrayList<>();
    ClusteredListVerticle.Serves serves = new ClusteredListVerticle.Serves() {
      @Override
      public String self() {
        return "a";
      }

      @Override
      public List<String> live() {
        return live;
      }

      @Override
      public void onChange(Runnable change) {
        changes.add(change);
      }
    };
    io.vertx.core.Promise<JsonObject> owns = io.vertx.core.Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.LIST_OWNER_CHANGED, m -> owns.tryComplete(m.body()))
        .completion().await();
    vertx.deployVerticle(new ClusteredListVerticle(serves, 100, 500, 60_000, self -> List.of())).await();
    assertThat(owns.future().timeout(10, TimeUnit.SECONDS).await().getString("owner")).isEqualTo("a");

    // b's replica: it holds back its answers until told (the round that counts b in cannot commit without it)
    LinkedBlockingQueue<Message<Object>> toB = new LinkedBlockingQueue<>();
    vertx.eventBus().<Object>consumer(Addresses.listReplica("b"), toB::add).completion().await();
    live.addAll(List.of("b", "c"));
    changes.forEach(Runnable::run);

    DeliveryOptions options = new DeliveryOptions().setSendTimeout(30_000);
    var joinB = vertx.eventBus().<JsonObject>request(Addresses.LIST_VOTERS, new JsonObject().put("join", "b"), options);
    var joinC = vertx.eventBus().<JsonObject>request(Addresses.LIST_VOTERS, new JsonObject().put("join", "c"), options);
    Message<Object> first = toB.poll(10, TimeUnit.SECONDS); // b's first round: it carries the join of b
    assertThat(first).isNotNull();
    assertThat(voters()).as("c waits for b's join to be held").containsExactlyInAnyOrder("a", "b");

    answer(first);
    while (!joinC.isComplete()) { // b answers each round it gets from now on, until c's join is held
      Message<Object> next = toB.poll(10, TimeUnit.SECONDS);
      assertThat(next).as("a round for b").isNotNull();
      answer(next);
    }
    assertThat(joinB.await().body().getJsonArray("voters")).containsExactlyInAnyOrder("a", "b");
    assertThat(joinC.await().body().getJsonArray("voters")).containsExactlyInAnyOrder("a", "b", "c");
  }

  /** b holds what it was sent (as a replica on the owner's state would). */
  private static void answer(Message<Object> m) {
    long seq = m.body() instanceof ReplicaMessages.Replicate r ? r.after() + r.ops().size()
        : ListState.fromJson(((JsonObject) m.body()).getJsonObject("state"), 100).seq();
    long epoch = m.body() instanceof ReplicaMessages.Replicate r ? r.epoch() : ((JsonObject) m.body()).getLong("epoch");
    m.reply(new ReplicaMessages.Ack(true, epoch, seq).toJson());
  }

  private List<Object> voters() {
    return vertx.eventBus().<JsonObject>request(Addresses.LIST_OWNER, null).await().body().getJsonArray("voters")
        .getList();
  }
}
