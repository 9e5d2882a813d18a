package io.concurrencylab.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.ClusterMessages;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;

/**
 * Answers {@code lab.cluster.members} and publishes {@code lab.cluster.changed} when a member joins or leaves. Uses
 * Hazelcast's own membership listener (Vert.x has a single NodeListener slot, which it keeps for HA).
 */
public final class MembershipVerticle extends VerticleBase {
  private final HazelcastClusterManager manager;
  private UUID registration;

  private static final io.vertx.core.eventbus.DeliveryOptions OWNER =
      new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(1_000).setLocalOnly(true);

  public MembershipVerticle(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  @Override
  public Future<?> start() {
    var cluster = manager.getHazelcastInstance().getCluster();
    registration = cluster.addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        publish("joined", event);
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        publish("left", event);
      }
    });
    return vertx.eventBus().consumer(Addresses.CLUSTER_MEMBERS, msg -> {
      try {
        Bodies.none(msg.body(), Addresses.CLUSTER_MEMBERS);
      } catch (RuntimeException e) {
        Failures.reply(msg, e);
        return;
      }
      // who owns the list, as this serve knows it (nobody, should the list service not answer)
      vertx.eventBus().<JsonObject>request(Addresses.LIST_OWNER, null, OWNER)
          .map(reply -> reply.body().getString("owner")).otherwise((String) null)
          .onComplete(owner -> msg.reply(new ClusterMessages.Members(Members.all(cluster.getMembers()),
              owner.result()).toJson()));
    }).completion();
  }

  private void publish(String what, MembershipEvent event) {
    // Hazelcast calls this on its own event thread: hop onto this verticle's event loop
    ClusterMessages.Changed changed = new ClusterMessages.Changed(what, Members.of(event.getMember()),
        event.getMembers().size());
    context.runOnContext(v -> vertx.eventBus().publish(Addresses.CLUSTER_CHANGED, changed.toJson()));
  }

  @Override
  public Future<?> stop() {
    if (manager.getHazelcastInstance() != null && manager.getHazelcastInstance().getLifecycleService().isRunning()) {
      manager.getHazelcastInstance().getCluster().removeMembershipListener(registration);
    }
    return Future.succeededFuture();
  }
}
