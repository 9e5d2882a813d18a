package io.concurrencylab.cluster;

import com.hazelcast.cluster.Member;
import io.concurrencylab.bus.ClusterMessages;
import java.util.ArrayList;
import java.util.List;

/** Hazelcast members as the contract shows them (node id, pid, host, role, uptime). */
public final class Members {
  /** The attribute vertx-hazelcast sets on every member: its Vert.x node id. */
  public static final String NODE_ID = "__vertx.nodeId";

  private Members() {}

  public static ClusterMessages.Member of(Member member) {
    return new ClusterMessages.Member(member.getAttribute(NODE_ID), number(member.getAttribute(ClusterSettings.PID)),
        member.getAddress().getHost() + ":" + member.getAddress().getPort(),
        String.valueOf(member.getAttribute(ClusterSettings.ROLE)),
        System.currentTimeMillis() - number(member.getAttribute(ClusterSettings.STARTED)));
  }

  public static List<ClusterMessages.Member> all(Iterable<Member> members) {
    List<ClusterMessages.Member> all = new ArrayList<>();
    members.forEach(m -> all.add(of(m)));
    return all;
  }

  /**
   * Whether a member holds the cluster's data (Hazelcast partitions), in a word: "yes" (a data member), "if needed"
   * (a lite node that becomes one when the cluster has too few: JoiningManager) or "no" (a lite member that never
   * does, as a {@code --lite} node).
   */
  public static String holdsData(Member member) {
    return switch (JoiningManager.Holding.of(member)) {
      case DATA -> "yes";
      case WHEN_NEEDED -> "if needed";
      case NEVER -> "no";
    };
  }

  /** The process id a member gave when it joined, or -1. */
  public static long pid(Member member) {
    return number(member.getAttribute(ClusterSettings.PID));
  }

  private static long number(String attribute) {
    try {
      return attribute == null ? -1 : Long.parseLong(attribute);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
