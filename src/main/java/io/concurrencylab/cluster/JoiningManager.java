package io.concurrencylab.cluster;

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

/**
 * The Hazelcast cluster manager, checking what a member was asked to be once Hazelcast has joined and before the
 * event bus starts (Vert.x joins the cluster manager first, then listens for the event bus):
 * <ul>
 *   <li>asked to join members on other hosts ({@link ClusterSettings#join()}), it must not be alone: Hazelcast
 *       would otherwise carry on as a cluster of one, and the user would see NO_HANDLERS much later;
 *   <li>its event bus listens on its own Hazelcast port + {@link ClusterSettings#eventBusOffset()}, a port known in
 *       advance (to open between hosts) and as exclusive as the Hazelcast port it follows. Vert.x reads the port
 *       from the {@link EventBusOptions} it was given when the event bus starts, so setting it here takes effect.
 * </ul>
 */
final class JoiningManager extends HazelcastClusterManager {
  private final ClusterSettings settings;
  private final EventBusOptions eventBus;
  private final long created = System.nanoTime();
  private Vertx vertx;

  JoiningManager(Config config, ClusterSettings settings, EventBusOptions eventBus) {
    super(config);
    this.settings = settings;
    this.eventBus = eventBus;
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
      var cluster = getHazelcastInstance().getCluster();
      if (settings.eventBusOffset() != 0) {
        eventBus.setPort(cluster.getLocalMember().getAddress().getPort() + settings.eventBusOffset());
      }
      if (settings.join().isEmpty() || cluster.getMembers().size() > 1) {
        promise.succeed();
        return;
      }
      long seconds = (System.nanoTime() - created) / 1_000_000_000;
      vertx.<String>executeBlocking(() -> alone(seconds), false)
          .onComplete(ar -> promise.fail(new ClusterSettings.JoinException(ar.succeeded() ? ar.result()
              : "nobody let this member in through " + String.join(", ", settings.join()))));
    });
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
