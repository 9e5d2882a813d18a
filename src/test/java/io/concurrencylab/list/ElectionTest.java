package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ReplicaMessages;
import io.concurrencylab.bus.ReplicaMessages.Prepare;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may try for the list: a serve with too few voters in its cluster does not even ask (nor promise itself). */
class ElectionTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /**
   * {@link Election#run} on an event loop, as ClusteredListVerticle runs it: its tally is its context's alone. Called
   * from the test's thread, its last count raced the answers counted on the event loop, and a try that c had just
   * promised could fail as "no majority ... (1 did)" (twice in ~20 runs, once in CI).
   */
  private io.vertx.core.Future<Election.Won> elect(Replica replica, Set<String> voters, List<String> live) {
    io.vertx.core.Promise<Election.Won> result = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> Election.run(vertx, "a", replica, voters, live, 100, 500).onComplete(result));
    return result.future();
  }

  /** Voter {@code name} answering prepares from its own replica, as a serve does. */
  private Replica voter(String name) {
    Replica replica = new Replica(100);
    vertx.eventBus().<JsonObject>consumer(Addresses.listReplica(name), m -> {
      assertThat(m.headers().get(ReplicaMessages.TYPE)).isEqualTo(ReplicaMessages.Type.PREPARE.name());
      m.reply(replica.prepare(Prepare.fromJson(m.body()), false).toJson());
    }).completion().await();
    return replica;
  }

  @Test
  void aServeCutOffWithAMinorityOfTheVotersDoesNotTryAndPromisesNothing() {
    Replica b = voter("b"); // in the voters, but not in a's cluster: never asked
    Replica a = new Replica(100);
    Set<String> voters = Set.of("a", "b", "c");
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> elect(a, voters, List.of("a")).await())
          .isInstanceOf(Election.NoMajority.class)
          .hasMessageStartingWith("1 of the 3 voters").hasMessageEndingWith("is in this serve's cluster, and a majority is 2")
          .satisfies(e -> assertThat(e.getStackTrace()).as("a failure, not an error: no stack").isEmpty());
    }
    assertThat(a.promised()).as("no epoch promised, however often it tries").isZero();
    assertThat(a.seen()).isZero();
    assertThat(b.promised()).isZero();
  }

  @Test
  void twoOfThreeVotersInTheClusterAreAMajorityAndElect() {
    Replica b = voter("b");
    Replica a = new Replica(100);
    Election.Won won = elect(a, Set.of("a", "b", "c"), List.of("a", "b")).await();
    assertThat(won.epoch()).isEqualTo(1);
    assertThat(a.promised()).isEqualTo(1);
    assertThat(b.promised()).as("b promised the new epoch").isEqualTo(1);
  }

  /**
   * A voter busy as the owner dies (seen in MultiHostIT: a serve handling the member's removal) answers the first
   * prepare after the candidate gave up on it. The candidate tries again with the same epoch, which that voter has
   * promised it meanwhile: the same promise again, so the second try wins. (Refused, the candidate needed a third
   * try, a second or more later, and the next voter in line took over before it.)
   */
  @Test
  void aPromiseWhoseAnswerCameTooLateIsGivenAgainToTheSameCandidate() {
    Replica b = new Replica(100);
    java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean(true);
    vertx.eventBus().<JsonObject>consumer(Addresses.listReplica("b"), m -> {
      ReplicaMessages.Accepted answer = b.prepare(Prepare.fromJson(m.body()), false);
      if (slow.getAndSet(false)) {
        vertx.setTimer(700, t -> m.reply(answer.toJson())); // after the candidate's 500 ms
      } else {
        m.reply(answer.toJson());
      }
    }).completion().await();
    Replica a = new Replica(100);
    Set<String> voters = Set.of("a", "b", "c");
    assertThatThrownBy(() -> elect(a, voters, List.of("a", "b")).await()).hasMessageContaining("no majority");
    assertThat(b.promised()).as("b promised epoch 1; a did not hear it").isEqualTo(1);
    assertThat(a.promised()).as("a took its own promise back").isZero();
    Election.Won won = elect(a, voters, List.of("a", "b")).await();
    assertThat(won.epoch()).as("the same epoch, promised again").isEqualTo(1);
  }

  @Test
  void aServeAloneInANewListIsItsMajority() {
    Replica a = new Replica(100);
    assertThat(elect(a, Set.of("a"), List.of("a")).await().epoch()).isEqualTo(1);
  }

  /** Voter {@code name} answering prepares (refusing while {@code liveOwner} is not null) and fetches. */
  private void replicaOf(String name, Replica replica, String liveOwner) {
    vertx.eventBus().<JsonObject>consumer(Addresses.listReplica(name), m -> {
      if (ReplicaMessages.Type.FETCH.name().equals(m.headers().get(ReplicaMessages.TYPE))) {
        m.reply(replica.fetch().toJson());
        return;
      }
      ReplicaMessages.Accepted answer = replica.prepare(Prepare.fromJson(m.body()), liveOwner != null);
      m.reply((liveOwner != null ? answer.because(liveOwner) : answer).toJson());
    }).completion().await();
  }

  /**
   * A serve frozen while it was dropped from the voters, woken after the owner died: with the voters it still
   * thinks ({a, b, c}) it and c are a majority; with the list's real voters ({b, c}) they are not, and it is not one
   * of them. It must not win (it did: an owner elected outside its own voters, seen in a review).
   */
  @Test
  void aServeWithAStaleViewOfTheVotersDoesNotWinOnIt() {
    ListState current = new ListState(100);
    for (ReplicaMessages.Op op : List.of(ReplicaMessages.Op.join("b"), ReplicaMessages.Op.join("c"),
        ReplicaMessages.Op.add("r1", 7))) {
      current.apply(op);
    }
    Replica c = new Replica(100);
    c.install(new ReplicaMessages.Install(2, "b", current.toJson()));
    replicaOf("c", c, null); // b, the owner, is dead: c promises
    Replica a = new Replica(100);
    ListState stale = new ListState(100);
    List.of("a", "b", "c").forEach(v -> stale.apply(ReplicaMessages.Op.join(v)));
    a.own(1, stale);
    a.saw(2); // a first try of epoch 2 was refused by c, which had promised it to b

    assertThatThrownBy(() -> elect(a, Set.of("a", "b", "c"), List.of("a", "c")).await())
        .isInstanceOf(Election.StaleVoters.class)
        .hasMessage("the list's voters are [b, c] (this serve thought [a, b, c]); [a, c] promised, no majority of them"
            .replace("[a, b, c]", String.valueOf(Set.of("a", "b", "c"))).replace("[a, c] promised",
                Set.of("a", "c") + " promised").replace("[b, c] (", Set.of("b", "c") + " ("));
  }

  /** A serve that lost track of a live owner (frozen, then woken) learns who it is from a refusal, and stops there. */
  @Test
  void aRefusalNamesTheLiveOwnerAndEndsTheTry() {
    replicaOf("b", new Replica(100), "c");
    Replica a = new Replica(100);
    assertThatThrownBy(() -> elect(a, Set.of("a", "b", "c"), List.of("a", "b", "c"))
        .await()).isInstanceOfSatisfying(Election.OwnerAlive.class, e -> assertThat(e.owner).isEqualTo("c"));
    // its own promise of that epoch is taken back: kept, it refused c's rounds once c counted it in, and deposed c
    assertThat(a.promised()).isZero();
  }
}
