package io.concurrencylab.squares;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.Members;
import io.concurrencylab.cluster.ParentWatch;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The coordinator's side of a run's own cluster (its own name, on {@code squares.port}), so nothing else on the
 * machine joins it or disturbs its timings: the clustered Vert.x, the one event loop the whole run uses, who
 * leaves, and the command line that makes a node join it. Only this run's nodes ever join it, and it is thrown away
 * with them. A sweep over the nodes already in the app's cluster uses the app's cluster instead ({@link #of}): the
 * same event loop and leaving, on a Vert.x the run does not own (its close only stops listening).
 */
final class SweepCluster {
  /** A member that stops answering is removed after this (cluster.xml: max.no.heartbeat.seconds), and a bit. */
  private static final long REMOVED_WITHIN_MS = 10_000;

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final ClusterSettings settings;
  private final Context context;
  private final List<Consumer<Member>> leaving = new ArrayList<>();
  /** Whether the run formed this cluster (and so closes it), or uses the app's. */
  private final boolean own;
  private final java.util.UUID listening;

  private SweepCluster(ClusterSettings.Clustered joined, ClusterSettings settings) {
    this.vertx = joined.vertx();
    this.manager = joined.manager();
    this.settings = settings;
    this.own = settings != null;
    this.context = vertx.getOrCreateContext();
    if (own) {
      vertx.exceptionHandler(io.concurrencylab.cluster.UnhandledExceptions::handle);
    }
    SquaresCodec.register(vertx.eventBus());
    listening = manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        context.runOnContext(v -> List.copyOf(leaving).forEach(l -> l.accept(event.getMember())));
      }
    });
  }

  /** Joins a cluster of its own for run {@code runId}. Builds a Vert.x: call it off any event loop. */
  static Future<SweepCluster> join(LabConfig config, String runId) {
    ClusterSettings settings = new ClusterSettings("lab-sweep-" + runId, config.clusterHost(), config.squaresPort(),
        config.clusterPortCount(), false, "coordinator");
    return settings.join(ClusterSettings.withoutJarFiles(new VertxOptions()), ClusterSettings.THROWAWAY_COORDINATOR)
        .map(joined -> new SweepCluster(joined, settings));
  }

  /**
   * The app's cluster, as {@code vertx} (serve, or {@code lab squares --on-cluster}) joined it, for a sweep over
   * its nodes; the run's event loop is the caller's context (or a new one off Vert.x threads).
   */
  static SweepCluster of(Vertx vertx) {
    var manager = (HazelcastClusterManager) ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
    return new SweepCluster(new ClusterSettings.Clustered(vertx, manager), null);
  }

  Vertx vertx() {
    return vertx;
  }

  /** Where the coordinator is (and the nodes it launches): its cluster address, without the port. */
  String host() {
    return manager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getHost();
  }

  /** Runs {@code action} on the run's event loop: everything a run does happens there, one thing at a time. */
  <T> Future<T> call(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  /** Tells {@code onLeft} (on the run's event loop) the node id of each member that leaves, until cancelled. */
  Runnable watchLeaving(Consumer<String> onLeft) {
    Consumer<Member> listener = member -> onLeft.accept(member.getAttribute(Members.NODE_ID));
    leaving.add(listener);
    return () -> leaving.remove(listener);
  }

  /**
   * Completes once no member of the cluster is one of {@code pids} (a killed node leaves the member list when its
   * connection closes), or after {@link #REMOVED_WITHIN_MS} at the latest, when Hazelcast has removed it anyway.
   */
  Future<Void> awaitGone(Set<Long> pids) {
    Promise<Void> gone = Promise.promise();
    Consumer<Member> check = left -> {
      if (manager.getHazelcastInstance().getCluster().getMembers().stream()
          .noneMatch(m -> pids.contains(Members.pid(m)))) {
        gone.tryComplete();
      }
    };
    leaving.add(check);
    check.accept(null);
    return gone.future().timeout(REMOVED_WITHIN_MS, TimeUnit.MILLISECONDS).otherwiseEmpty()
        .onComplete(ar -> leaving.remove(check));
  }

  /**
   * The command line that makes a node of a size of {@code size} join this cluster. Nodes ask the coordinator and
   * the next few ports, where their peers bind, rather than all of the range: two fewer connection attempts and idle
   * Hazelcast threads per port not asked (asking the coordinator alone made nodes that start together collide more
   * often in Hazelcast's join, which then retries after a fixed second).
   */
  List<String> nodeArgs(int size, boolean lite, long readyTimeoutMs) {
    int self = manager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
    List<String> args = new ArrayList<>(List.of("--cluster-name", settings.name(), "--host", settings.host(),
        "--members", String.join(",", settings.asking(self, size + 3).members()),
        "--port", Integer.toString(settings.port()), "--port-count", Integer.toString(settings.portCount()),
        "--parent-pid", Long.toString(ProcessHandle.current().pid()), ParentWatch.PIPE_OPTION, "--report-ready",
        "--ready-timeout-ms", Long.toString(readyTimeoutMs), "--role", "squares-node"));
    if (lite) {
      args.add("--lite");
    }
    return args;
  }

  /**
   * Leaves the run's own cluster (alone in it by then: every node of the run has been stopped); on the app's
   * cluster, only stops listening to it.
   */
  Future<Void> close() {
    if (own) {
      return vertx.close();
    }
    if (manager.getHazelcastInstance().getLifecycleService().isRunning()) {
      manager.getHazelcastInstance().getCluster().removeMembershipListener(listening);
    }
    return Future.succeededFuture();
  }
}
