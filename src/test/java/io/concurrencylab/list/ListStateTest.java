package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ReplicaMessages.Op;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The replicated list: a request id is applied once; every replica that applies the same ops holds the same list. */
class ListStateTest {
  @Test
  void aRequestRetriedWithItsIdIsAppliedOnceAndAnsweredTheSame() {
    ListState state = new ListState(10);
    ListState.Outcome first = state.apply(Op.add("req-1", 42));
    long seq = state.seq();
    ListState.Outcome again = state.apply(Op.add("req-1", 42));
    assertThat(again.reply()).isEqualTo(first.reply());
    assertThat(again.changed()).as("nothing to publish: nothing changed").isNull();
    assertThat(state.seq()).isEqualTo(seq);
    assertThat(state.snapshot().items()).containsExactly(42L);

    ListState.Outcome removed = state.apply(Op.remove("req-2"));
    assertThat(state.apply(Op.remove("req-2")).reply()).isEqualTo(removed.reply());
    assertThat(state.snapshot().added()).isEqualTo(1);
    assertThat(state.snapshot().removed()).isEqualTo(1);
  }

  /** A request id reused for another operation got the first one's answer, as a success, and nothing was done. */
  @Test
  void anIdReusedForAnotherOperationIsRefusedAndChangesNothing() {
    ListState state = new ListState(10);
    state.apply(Op.add("abc", 4242));
    long seq = state.seq();
    for (Op other : new Op[] {Op.remove("abc"), Op.add("abc", 7)}) {
      ListState.Outcome refused = state.apply(other);
      assertThat(refused.failureCode()).isEqualTo(409);
      assertThat(refused.changed()).isNull();
      assertThat(refused.failure()).isEqualTo("request id 'abc' was used for add 4242; a request id names one "
          + "operation, this one is " + (other.kind() == io.concurrencylab.bus.ReplicaMessages.OpKind.ADD ? "add 7"
          : "remove") + ": nothing done");
    }
    assertThat(state.seq()).isEqualTo(seq);
    assertThat(state.snapshot().items()).containsExactly(4242L);
    ListState copy = ListState.fromJson(state.toJson(), 10); // a replica remembers what each id was for, too
    assertThat(copy.apply(Op.remove("abc")).failureCode()).isEqualTo(409);
    assertThat(copy.apply(Op.add("abc", 4242)).failed()).isFalse();
  }

  @Test
  void aRefusedAddIsNotRememberedSoItsRetryMaySucceed() {
    ListState state = new ListState(1);
    state.apply(Op.add("a", 1));
    ListState.Outcome full = state.apply(Op.add("b", 2));
    assertThat(full.failureCode()).isEqualTo(409);
    state.apply(Op.remove("c"));
    assertThat(state.apply(Op.add("b", 2)).failed()).isFalse();
    assertThat(state.snapshot().items()).containsExactly(2L);
  }

  @Test
  void replicasApplyingTheSameOpsHoldTheSameStateAndItSurvivesACopy() {
    ListState a = new ListState(100);
    ListState b = new ListState(100);
    for (Op op : new Op[] {Op.join("n1"), Op.add("1", 5), Op.add("2", 6), Op.remove("3"), Op.remove("4"),
        Op.remove("5"), Op.join("n2"), Op.add("6", 7)}) {
      a.apply(op);
      b.apply(op);
    }
    assertThat(a.toJson()).isEqualTo(b.toJson());
    ListState copy = ListState.fromJson(new JsonObject(a.toJson().encode()), 100);
    assertThat(copy.toJson()).isEqualTo(a.toJson());
    assertThat(copy.apply(Op.add("1", 5)).changed()).as("the copy remembers the answered ids").isNull();
    assertThat(copy.voters()).containsExactlyInAnyOrder("n1", "n2");
  }

  @Test
  void theMajorityIsOfTheVoters() {
    ListState state = new ListState(10);
    state.apply(Op.join("a"));
    state.apply(Op.join("b"));
    state.apply(Op.join("c"));
    assertThat(state.majority(Set.of("a"))).isFalse();
    assertThat(state.majority(Set.of("a", "c"))).isTrue();
    assertThat(state.majority(Set.of("a", "x", "y"))).as("only voters count").isFalse();
    state.apply(Op.leave("c"));
    assertThat(state.majority(Set.of("a"))).as("one of two is not a majority").isFalse();
    assertThat(state.majority(Set.of("a", "b"))).isTrue();
  }

  /** The last voter cannot leave: nobody would hold the list, and no majority of no voters commits anything. */
  @Test
  void theLastVoterCannotLeave() {
    ListState state = new ListState(10);
    state.apply(Op.join("a"));
    state.apply(Op.add(null, 7));
    long seq = state.seq();
    ListState.Outcome refused = state.apply(Op.leave("a"));
    assertThat(refused.failed()).isTrue();
    assertThat(refused.failureCode()).isEqualTo(409);
    assertThat(refused.failure()).isEqualTo("a is the list's last voter: with no voter left, nobody would hold the "
        + "list (1 item)");
    assertThat(state.voters()).containsExactly("a");
    assertThat(state.seq()).as("nothing applied").isEqualTo(seq);
  }

  @Test
  void aServeDroppedFromTheVotersJoinsThemAgain() {
    // as after a cut: the owner drops serve c, which asks to join once healed (same node id, a second time)
    ListState state = new ListState(10);
    state.apply(Op.join("a"));
    assertThat(state.apply(Op.join("c")).reply().getBoolean("joined")).isTrue();
    state.apply(Op.leave("c"));
    ListState.Outcome again = state.apply(Op.join("c"));
    assertThat(again.reply().getBoolean("joined")).as("applied, not the first join's answer again").isTrue();
    assertThat(state.voters()).containsExactlyInAnyOrder("a", "c");
    // and dropped again on a second cut
    assertThat(state.apply(Op.leave("c")).reply().getBoolean("left")).isTrue();
    assertThat(state.voters()).containsExactly("a");
    // a join of a voter changes nothing
    state.apply(Op.join("a"));
    assertThat(state.apply(Op.join("a")).reply().getBoolean("joined")).isFalse();
    assertThat(ListState.fromJson(state.toJson(), 10).voters()).as("as replicated").containsExactly("a");
  }

  @Test
  void changesAreNumberedInOneOrderWithoutGaps() {
    ListState state = new ListState(10);
    state.apply(Op.join("a"));
    assertThat(state.apply(Op.add("1", 1)).changed().seq()).isEqualTo(1);
    state.apply(Op.join("b"));
    assertThat(state.apply(Op.remove("2")).changed().seq()).isEqualTo(2);
    assertThat(state.apply(Op.remove("3")).changed()).satisfies(c -> {
      assertThat(c.op()).isEqualTo("empty");
      assertThat(c.seq()).isEqualTo(3);
    });
  }
}
