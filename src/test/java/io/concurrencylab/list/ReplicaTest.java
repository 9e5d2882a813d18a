package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ReplicaMessages.Ack;
import io.concurrencylab.bus.ReplicaMessages.Install;
import io.concurrencylab.bus.ReplicaMessages.Op;
import io.concurrencylab.bus.ReplicaMessages.Prepare;
import io.concurrencylab.bus.ReplicaMessages.Replicate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fencing rules of one replica, without any messaging. */
class ReplicaTest {
  private static ListState state(long... values) {
    ListState state = new ListState(100);
    state.apply(Op.join("a"));
    for (long v : values) {
      state.apply(Op.add("r" + v, v));
    }
    return state;
  }

  private static Replica installed(long epoch, ListState state) {
    Replica replica = new Replica(100);
    assertThat(replica.install(new Install(epoch, "owner", state.toJson())).ok()).isTrue();
    return replica;
  }

  @Test
  void promisesEachEpochOnceAndNeverGoesBack() {
    Replica replica = new Replica(100);
    assertThat(replica.prepare(new Prepare(3, "a"), false).promised()).isTrue();
    assertThat(replica.prepare(new Prepare(3, "b"), false).promised()).as("the same epoch twice").isFalse();
    assertThat(replica.prepare(new Prepare(2, "b"), false).promised()).as("an older one").isFalse();
    assertThat(replica.prepare(new Prepare(4, "b"), false).promised()).isTrue();
    assertThat(replica.promised()).isEqualTo(4);
  }

  @Test
  void promisesTheSameEpochAgainOnlyToTheSameCandidate() {
    Replica replica = new Replica(100);
    assertThat(replica.prepare(new Prepare(3, "a"), false).promised()).isTrue();
    assertThat(replica.prepare(new Prepare(3, "a"), false).promised())
        .as("asked again by the candidate it promised (its answer was late): the same promise").isTrue();
    assertThat(replica.prepare(new Prepare(3, "b"), false).promised()).as("another candidate").isFalse();
    assertThat(replica.prepare(new Prepare(3, "a"), true).promised()).as("not while its owner is alive").isFalse();
    assertThat(replica.prepare(new Prepare(4, "b"), false).promised()).isTrue();
    assertThat(replica.prepare(new Prepare(3, "a"), false).promised()).as("not once a higher one is promised")
        .isFalse();
    assertThat(replica.prepare(new Prepare(4, "a"), false).promised()).as("nor that one to another").isFalse();
    // an epoch that came from an owner's round, not from a promise, is not given again to anyone
    Replica following = installed(5, state(1));
    assertThat(following.prepare(new Prepare(5, "owner"), false).promised()).isFalse();
  }

  @Test
  void refusesACandidateWhileItsOwnerIsAlive() {
    Replica replica = new Replica(100);
    assertThat(replica.prepare(new Prepare(9, "woken-old-owner"), true).promised()).isFalse();
    assertThat(replica.promised()).isZero();
  }

  @Test
  void anOwnerFromAnOlderEpochIsRefusedAndChangesNothing() {
    Replica replica = installed(2, state(1, 2));
    assertThat(replica.prepare(new Prepare(3, "b"), false).promised()).isTrue(); // another serve took over
    long seq = replica.seq();
    Ack ack = replica.replicate(new Replicate(2, "owner", seq, List.of(Op.add("x", 99)), 0));
    assertThat(ack.ok()).isFalse();
    assertThat(ack.promised()).as("tells the old owner it was replaced").isEqualTo(3);
    assertThat(replica.seq()).isEqualTo(seq);
    assertThat(replica.state().snapshot().items()).containsExactly(1L, 2L);
    Ack install = replica.install(new Install(2, "owner", state(1, 2, 99).toJson()));
    assertThat(install.ok()).as("nor may it install a state").isFalse();
    assertThat(replica.state().snapshot().items()).containsExactly(1L, 2L);
  }

  @Test
  void appliesInOrderSkipsWhatItHasAndAsksForTheWholeStateWhenBehind() {
    ListState owner = state(1, 2);
    Replica replica = installed(5, owner);
    long seq = replica.seq();
    Ack ok = replica.replicate(new Replicate(5, "owner", seq, List.of(Op.add("r3", 3), Op.remove("d1")), 0));
    assertThat(ok.ok()).isTrue();
    assertThat(replica.state().snapshot().items()).containsExactly(2L, 3L);
    // the same message again (a retry): nothing applied twice
    assertThat(replica.replicate(new Replicate(5, "owner", seq, List.of(Op.add("r3", 3), Op.remove("d1")), 0)).ok())
        .isTrue();
    assertThat(replica.state().snapshot().items()).containsExactly(2L, 3L);
    // a gap: it cannot apply operations it has not seen the predecessors of
    Ack behind = replica.replicate(new Replicate(5, "owner", seq + 10, List.of(Op.add("r4", 4)), 0));
    assertThat(behind.ok()).isFalse();
    assertThat(behind.promised()).isEqualTo(5);
    assertThat(behind.seq()).isEqualTo(-1);
  }

  @Test
  void aNewOwnersFirstWordsOnAStateOfAnotherEpochAskForTheWholeState() {
    Replica replica = installed(2, state(1));
    Ack ack = replica.replicate(new Replicate(3, "b", replica.seq(), List.of(), 0));
    assertThat(ack.ok()).isFalse();
    assertThat(ack.seq()).isEqualTo(-1);
    assertThat(replica.promised()).as("the newer owner is followed from now on").isEqualTo(3);
  }
}
