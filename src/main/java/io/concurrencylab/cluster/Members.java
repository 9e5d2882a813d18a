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

  /**
   * Whether {@code member} has ended though Hazelcast may list it a while longer (a member that left or ended is
   * removed by the master, and a new master first asks every member for its list): its address is one of this
   * machine's, and a connection there is refused, so nothing listens there. A member elsewhere is never taken for
   * ended (a firewall's reject, or an address translated on the way, look the same from here), nor one only slow (no
   * answer within 200 ms), nor one whose address answers (Hazelcast drops such a connection without a word when no
   * handshake follows).
   */
  public static boolean ended(Member member) {
    return ended(member.getSocketAddress());
  }

  /** Whether {@code address} is this machine's and refuses connections ({@link #ended(Member)}). */
  static boolean ended(java.net.InetSocketAddress address) {
    try (java.net.Socket socket = new java.net.Socket()) {
      if (address.isUnresolved() || !(address.getAddress().isLoopbackAddress()
          || java.net.NetworkInterface.getByInetAddress(address.getAddress()) != null)) {
        return false;
      }
      socket.connect(address, 200);
      return false;
    } catch (java.net.ConnectException e) { // a refusal, not a timeout (that is a SocketTimeoutException)
      return e.getMessage() != null && e.getMessage().contains("refused");
    } catch (java.io.IOException | RuntimeException unknown) {
      return false;
    }
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
