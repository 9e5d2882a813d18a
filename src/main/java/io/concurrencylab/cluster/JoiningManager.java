package io.concurrencylab.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast cluster manager, checking what a member was asked to be once Hazelcast has joined and before the
 * event bus starts (Vert.x joins the cluster manager first, then listens for the event bus):
 * <ul>
 *   <li>asked to join members on other hosts ({@link ClusterSettings#join()}), it must not be alone: Hazelcast
 *       would otherwise carry on as a cluster of one, and the user would see NO_HANDLERS much later;
 *   <li>its event bus listens on its own Hazelcast port + {@link ClusterSettings#eventBusOffset()}, a port known in
 *       advance (to open between hosts) and as exclusive as the Hazelcast port it follows. Vert.x reads the port
 *       from the {@link EventBusOptions} it was given when the event bus starts, so setting it here takes effect;
 *   <li>a node of the app's cluster joins as a lite member and holds data only while the cluster needs it
 *       ({@code dataMembers}, from {@code cluster.dataMembers}): once joined, and whenever a member leaves, the
 *       oldest lite members become data members until the cluster has that many (every lite member does when none is
 *       left, for the cluster's maps answer nobody then). The others hold no partitions, so when they leave,
 *       several at once while a serve stays, no migration is planned, aborted and paused for Hazelcast's fixed 3 s.
 *       Vert.x writes nothing to the cluster before this manager's join completes, and it cleans up after a member
 *       that left only after the promotion here, in {@link #memberRemoved}.
 * </ul>
 */
final class JoiningManager extends HazelcastClusterManager {
  private static final Logger log = LoggerFactory.getLogger(JoiningManager.class);
  private final ClusterSettings settings;
  private final EventBusOptions eventBus;
  private final int dataMembers;
  private final long created = System.nanoTime();
  private volatile boolean stopping;
  private Vertx vertx;

  /** @param dataMembers for a lite member: how many data members it keeps the cluster at; 0: none (as it is) */
  JoiningManager(Config config, ClusterSettings settings, EventBusOptions eventBus, int dataMembers) {
    super(config);
    this.settings = settings;
    this.eventBus = eventBus;
    this.dataMembers = dataMembers;
  }

  @Override
  public void init(Vertx vertx) {
    this.vertx = vertx;
    super.init(vertx);
  }

  @Override
  public void join(Completable<Void> promise) {
    super.join((ok, failure) -> {
      if (failure != null) {
        promise.fail(failure);
        return;
      }
      joined(promise);
    });
  }

  /** Joined as it was asked to: holds data if the cluster needs it ({@link #holdsData}), then Vert.x goes on. */
  private void holdDataThenGoOn(Completable<Void> promise) {
    if (dataMembers == 0) {
      promise.succeed();
      return;
    }
    vertx.<Void>executeBlocking(() -> {
      holdDataIfNeeded(null);
      return null;
    }, false).onComplete((v, e) -> {
      if (e != null) {
        promise.fail(new ClusterSettings.JoinException("could not become a data member of a cluster that has none: "
            + e.getMessage()));
      } else {
        promise.succeed();
      }
    });
  }

  /**
   * A member left: first hold data if the cluster now lacks it, then let Vert.x clean up after that member (its
   * subscriptions, its node info), which needs a data member to answer.
   */
  @Override
  public synchronized void memberRemoved(MembershipEvent event) {
    if (stopping) { // ClusterSettings.Clustered#stopping
      return;
    }
    if (dataMembers > 0 && isActive()) {
      try {
        holdDataIfNeeded(event.getMember().getAddress() + " left");
      } catch (RuntimeException e) {
        log.warn("could not become a data member after {} left: {}", event.getMember().getAddress(), e.toString());
      }
    }
    super.memberRemoved(event);
  }

  /** See {@link ClusterSettings.Clustered#stopping}. */
  void stopping() {
    stopping = true;
  }

  boolean isStopping() {
    return stopping;
  }

  /**
   * Promotes this lite member when {@link #holdsData} says so.
   *
   * @param why the member that left, logged; null when joining (the node's "node ready" line says it then)
   * @throws RuntimeException Hazelcast's, when the promotion failed while no member holds data
   */
  private synchronized void holdDataIfNeeded(String why) {
    var cluster = getHazelcastInstance().getCluster();
    List<Member> members = List.copyOf(cluster.getMembers());
    List<Boolean> lite = members.stream().map(Member::isLiteMember).toList();
    int self = members.indexOf(cluster.getLocalMember());
    if (self < 0 || !lite.get(self) || !holdsData(lite, self, dataMembers)) {
      return;
    }
    long data = lite.stream().filter(l -> !l).count();
    try {
      cluster.promoteLocalLiteMember();
      if (why != null) {
        log.info("{}: this member holds data now (the cluster had {} data member(s), cluster.dataMembers is {})", why,
            data, dataMembers);
      }
    } catch (RuntimeException e) {
      if (data == 0) {
        throw e;
      }
      log.warn("{}: could not become a data member ({} data member(s) hold the cluster's maps): {}",
          why != null ? why : "joined", data, e.toString());
    }
  }

  /**
   * Whether the lite member at {@code self} in {@code lite} (the cluster's members, oldest first: whether each is a
   * lite member) should become a data member so that the cluster has {@code wanted} of them: the oldest lite members
   * make up the lack, and every one of them when no member holds data (then nothing the cluster keeps answers).
   */
  static boolean holdsData(List<Boolean> lite, int self, int wanted) {
    long data = lite.stream().filter(l -> !l).count();
    if (data == 0) {
      return true;
    }
    long lacking = wanted - data;
    long olderLite = lite.subList(0, self).stream().filter(l -> l).count();
    return olderLite < lacking;
  }

  private void joined(Completable<Void> promise) {
    var cluster = getHazelcastInstance().getCluster();
    if (settings.eventBusOffset() != 0) {
      eventBus.setPort(cluster.getLocalMember().getAddress().getPort() + settings.eventBusOffset());
    }
    if (settings.join().isEmpty() || cluster.getMembers().size() > 1) {
      holdDataThenGoOn(promise);
      return;
    }
    long seconds = (System.nanoTime() - created) / 1_000_000_000;
    vertx.<String>executeBlocking(() -> alone(seconds), false)
        .onComplete(ar -> promise.fail(new ClusterSettings.JoinException(ar.succeeded() ? ar.result()
            : "nobody let this member in through " + String.join(", ", settings.join()))));
  }

  /** Why nobody let this member in: whether anything listens at the addresses asked tells the likely cause. */
  private String alone(long seconds) {
    List<String> refused = new ArrayList<>();
    List<String> answered = new ArrayList<>();
    List<String> unresolved = new ArrayList<>();
    for (String address : settings.join().subList(0, Math.min(4, settings.join().size()))) {
      int colon = address.lastIndexOf(':');
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address.substring(0, colon),
            Integer.parseInt(address.substring(colon + 1))), 1_000);
        answered.add(address);
      } catch (java.net.UnknownHostException e) {
        unresolved.add(address.substring(0, colon));
        refused.add(address + " (no such host name here)");
      } catch (IOException | RuntimeException e) {
        refused.add(address + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
      }
    }
    if (answered.isEmpty() && unresolved.size() == refused.size()) { // a typo in a name, most likely
      return "cannot resolve " + String.join(", ", unresolved) + " (--join, cluster.join): no such host name here; "
          + "give an IP address or a name this machine resolves";
    }
    if (!answered.isEmpty()) {
      return String.join(", ", answered) + " answers, but did not let this member into cluster '" + settings.name()
          + "' within " + seconds + " s: is the cluster there named otherwise (cluster.name, --cluster-name)?";
    }
    return "nobody answered at " + String.join(", ", refused) + " within " + seconds + " s: is a serve or node of "
        + "cluster '" + settings.name() + "' running there, and its port open to " + settings.host() + "? (--join, "
        + "cluster.join)";
  }

  /** The failure of a clustered start, as one line when it is a known misconfiguration. */
  Throwable explain(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof ClusterSettings.JoinException) {
        return e;
      }
      String message = String.valueOf(e.getMessage());
      if (e instanceof java.net.BindException || message.contains("Address already in use")) {
        return new ClusterSettings.JoinException(eventBus.getPort() != 0
            ? "event-bus port " + settings.host() + ":" + eventBus.getPort() + " is in use (this member's Hazelcast "
                + "port " + (eventBus.getPort() - settings.eventBusOffset()) + " + cluster.eventBusPortOffset "
                + settings.eventBusOffset() + "): stop what holds it, or set another offset"
            : "a port on " + settings.host() + " is in use: " + message);
      }
      if (message.contains("Cannot assign requested address") || message.contains("No matching network interface")) {
        return new ClusterSettings.JoinException("cannot bind " + settings.host() + " (cluster.host, --host): not an "
            + "address of this machine");
      }
      if (message.contains("ServerSocket bind has failed")) {
        return new ClusterSettings.JoinException("no free Hazelcast port on " + settings.host() + " in ["
            + settings.port() + ", " + (settings.port() + settings.portCount()) + ") (cluster.port, "
            + "cluster.portCount), or " + settings.host() + " is not an address of this machine");
      }
    }
    return failure;
  }
}
