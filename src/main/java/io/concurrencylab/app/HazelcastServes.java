package io.concurrencylab.app;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.Members;
import io.concurrencylab.list.ClusteredListVerticle;
import java.util.List;

/** The serves of the app's cluster, as Hazelcast lists its members (oldest first, the same on every member). */
final class HazelcastServes implements ClusteredListVerticle.Serves {
  private final HazelcastInstance hazelcast;
  private final String self;

  HazelcastServes(HazelcastInstance hazelcast, String self) {
    this.hazelcast = hazelcast;
    this.self = self;
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public List<String> live() {
    return hazelcast.getCluster().getMembers().stream().filter(HazelcastServes::isServe)
        .map(m -> (String) m.getAttribute(Members.NODE_ID)).toList();
  }

  @Override
  public void onChange(Runnable change) {
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        change.run();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        change.run();
      }
    });
  }

  private static boolean isServe(Member member) {
    return "serve".equals(member.getAttribute(ClusterSettings.ROLE)) && member.getAttribute(Members.NODE_ID) != null;
  }
}
