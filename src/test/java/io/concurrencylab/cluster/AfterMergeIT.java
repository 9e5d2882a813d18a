package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a member that merged back after a split does about the clean-up it ran, or still runs, after the other side's
 * members (JoiningManager#stateChanged). Two real members in this JVM; the split itself is MultiHostIT's (network
 * namespaces), which met the case once in a while: here its two effects are played directly.
 */
class AfterMergeIT {
  private static final int PORT = 6850;
  private static final String ADDRESS = "it.afterMerge.echo";
  private ClusterSettings.Clustered a;
  private ClusterSettings.Clustered b;

  @AfterEach
  void close() {
    for (ClusterSettings.Clustered member : new ClusterSettings.Clustered[] {b, a}) {
      if (member != null) {
        member.vertx().close().await();
      }
    }
  }

  @Test
  void aLateCleanUpAfterAMemberThatIsBackRemovesNothingAndAMergePutsRegistrationsBack() throws Exception {
    ClusterSettings settings = new ClusterSettings("it-merge-" + UUID.randomUUID().toString().substring(0, 8),
        "127.0.0.1", PORT, 5, false, "test");
    a = settings.join(new VertxOptions()).await();
    b = settings.join(new VertxOptions()).await();
    b.vertx().eventBus().consumer(ADDRESS, m -> m.reply("b")).completion().await();
    assertThat(a.vertx().eventBus().request(ADDRESS, "x").await().body()).isEqualTo("b");
    HazelcastInstance hazelcast = a.manager().getHazelcastInstance();
    String bNode = b.nodeId();
    assertThat(registrationsOf(hazelcast, bNode)).isPositive();

    // Hazelcast tells a that b left, late: b is a member again (a merged back meanwhile). Vert.x would remove b's
    // registrations and node info from the whole cluster; a leaves them
    Member bSeenByA = hazelcast.getCluster().getMembers().stream()
        .filter(m -> m.getUuid().equals(b.manager().getHazelcastInstance().getCluster().getLocalMember().getUuid()))
        .findFirst().orElseThrow();
    a.manager().memberRemoved(new MembershipEvent(hazelcast.getCluster(), bSeenByA, MembershipEvent.MEMBER_REMOVED,
        Set.copyOf(hazelcast.getCluster().getMembers())));
    assertThat(registrationsOf(hazelcast, bNode)).as("b's registrations, still in the cluster's map").isPositive();
    assertThat(hazelcast.getMap("__vertx.nodeInfo").containsKey(bNode)).as("b's node info").isTrue();
    assertThat(a.vertx().eventBus().request(ADDRESS, "x").await().body()).isEqualTo("b");

    // a clean-up that was under way as the merge began ends in the merged cluster: b's registrations are gone (here
    // removed by hand) and a's requests to b find nobody. Once a has merged, every member puts its own back
    var subs = hazelcast.<String, HazelcastRegistrationInfo>getMultiMap("__vertx.subs");
    subs.entrySet().stream().filter(e -> e.getValue().unwrap().nodeId().equals(bNode))
        .forEach(e -> subs.remove(e.getKey(), e.getValue()));
    assertThat(registrationsOf(hazelcast, bNode)).isZero();
    awaitRequest(true);
    a.manager().stateChanged(new LifecycleEvent(LifecycleEvent.LifecycleState.MERGED));
    awaitRequest(false);
    assertThat(registrationsOf(hazelcast, bNode)).isPositive();
  }

  private static long registrationsOf(HazelcastInstance hazelcast, String node) {
    return hazelcast.<String, HazelcastRegistrationInfo>getMultiMap("__vertx.subs").values().stream()
        .filter(r -> r.unwrap().nodeId().equals(node)).count();
  }

  /** Asks b through a until the request finds no handler ({@code none}) or is answered, for at most 20 s. */
  private void awaitRequest(boolean none) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = "answered " + a.vertx().eventBus().request(ADDRESS, "x").await().body();
        if (!none) {
          return;
        }
      } catch (ReplyException e) {
        last = e.failureType() + " " + e.getMessage();
        if (none && e.failureType() == ReplyFailure.NO_HANDLERS) {
          return;
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError((none ? "never NO_HANDLERS" : "never answered") + " within 20 s; last: " + last);
  }
}
