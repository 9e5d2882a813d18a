package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.ReplicaMessages.Op;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The owner's side of request ids: what it answers before a round has committed an operation. */
class ListOwnerTest {
  /**
   * A request id reused for another operation while the first still waits for its round: refused too (it was given
   * the first one's future, so a remove under an add's id came back as that add's success).
   */
  @Test
  void anIdReusedWhileItsFirstTryWaitsForItsRoundIsRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ListState state = new ListState(10);
      state.apply(Op.join("me"));
      CompletableFuture<Future<JsonObject>[]> submitted = new CompletableFuture<>();
      vertx.getOrCreateContext().runOnContext(v -> { // both before the round, which runs on this context later
        ListOwner owner = new ListOwner(vertx, "me", 1, state, 500, 5_000, why -> { }, change -> { });
        @SuppressWarnings("unchecked")
        Future<JsonObject>[] both = new Future[] {owner.submit(Op.add("k", 9001)), owner.submit(Op.remove("k")),
            owner.submit(Op.add("k", 9001))};
        submitted.complete(both);
      });
      Future<JsonObject>[] both = submitted.get(10, TimeUnit.SECONDS);
      assertThat(both[0].toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo(new JsonObject().put("added", 9001).put("size", 1));
      assertThat(both[1].toCompletionStage().toCompletableFuture().handle((r, e) -> e).get(10, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(LabException.class, e -> {
            assertThat(e.code()).isEqualTo(409);
            assertThat(e.getMessage()).startsWith("request id 'k' was used for add 9001");
          });
      assertThat(both[2].toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .as("the same operation retried gets the same answer").isEqualTo(both[0].result());
      assertThat(state.snapshot().items()).containsExactly(9001L);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * What a new owner held of the last owner's operations, unpublished: published once its first round is held by a
   * majority, before any change of its own; never while a majority does not hold it (a later owner might not).
   */
  @Test
  void heldChangesArePublishedOnlyOnceAMajorityHoldsThem() throws Exception {
    Vertx vertx = Vertx.vertx();
    io.concurrencylab.bus.ReplicateCodec.register(vertx.eventBus()); // rounds travel with it, as between serves
    try {
      for (boolean otherAnswers : new boolean[] {false, true}) {
        ListState state = new ListState(10);
        state.apply(Op.join("me"));
        state.apply(Op.join("other"));
        ListState.Changed held = state.apply(Op.add("a", 7)).changed();
        String other = "other";
        java.util.List<Long> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> ownAdd = new CompletableFuture<>();
        java.util.concurrent.BlockingQueue<Object> roundSent = new java.util.concurrent.LinkedBlockingQueue<>();
        var consumer = vertx.eventBus().<Object>consumer(io.concurrencylab.bus.Addresses.listReplica(other), m -> {
          roundSent.add(m.body());
          if (otherAnswers) { // holds what it is sent, as a replica on this state would
            m.reply(new io.concurrencylab.bus.ReplicaMessages.Ack(true, 1, state.seq()).toJson());
          }
        });
        consumer.completion().await();
        vertx.getOrCreateContext().runOnContext(v -> {
          ListOwner owner = new ListOwner(vertx, "me", 1, state, 300, 60_000, why -> { },
              change -> published.add(change.seq()));
          owner.publishOnceHeld(java.util.List.of(held));
          owner.submit(Op.add("b", 8)).onComplete(ar -> ownAdd.complete(null));
        });
        if (otherAnswers) {
          ownAdd.get(10, TimeUnit.SECONDS);
          assertThat(published).containsExactly(held.seq(), held.seq() + 1);
        } else { // the round went out and timed out (300 ms) unanswered: the owner's own add failed or waits on
          assertThat(roundSent.poll(10, TimeUnit.SECONDS)).isNotNull();
          assertThat(published).as("nothing is held by a majority of 2 without the other").isEmpty();
        }
        consumer.unregister().await();
      }
    } finally {
      vertx.close().await();
    }
  }
}
