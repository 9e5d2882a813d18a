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
      assertThatThrownBy(() -> Election.run(vertx, "a", a, voters, List.of("a"), 100, 500).await())
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
    Election.Won won = Election.run(vertx, "a", a, Set.of("a", "b", "c"), List.of("a", "b"), 100, 500).await();
    assertThat(won.epoch()).isEqualTo(1);
    assertThat(a.promised()).isEqualTo(1);
    assertThat(b.promised()).as("b promised the new epoch").isEqualTo(1);
  }

  @Test
  void aServeAloneInANewListIsItsMajority() {
    Replica a = new Replica(100);
    assertThat(Election.run(vertx, "a", a, Set.of("a"), List.of("a"), 100, 500).await().epoch()).isEqualTo(1);
  }
}
