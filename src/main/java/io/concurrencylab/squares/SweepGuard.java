package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.RunningSweep;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * One sweep at a time (the machine's cores are shared: two sweeps would only time each other), across every serve
 * of a cluster: the sweep running now is the one entry of a shared map, {@code lab.squares.running}, claimed with
 * put-if-absent. In a clustered serve the map is Hazelcast's, so a start on any serve finds a sweep running on any
 * other; unclustered, it is this process's own. A claim whose serve is no longer a member (killed, or hung and
 * removed by Hazelcast) is stale: the next claim replaces it. {@code lab squares --on-cluster} claims it too.
 */
public final class SweepGuard {
  static final String MAP = "lab.squares.running";
  private static final String KEY = "sweep";
  private final Vertx vertx;
  /** The app cluster's manager, or null when this serve is not clustered. */
  private final ClusterManager cluster;

  public SweepGuard(Vertx vertx) {
    this.vertx = vertx;
    // Vert.x has no public way from a Vertx to its cluster manager; serve builds it, this reads it back.
    this.cluster = vertx.isClustered() ? ((VertxInternal) vertx).clusterManager() : null;
  }

  /** This serve's Vert.x node id (null when not clustered). */
  String nodeId() {
    return cluster == null ? null : cluster.getNodeId();
  }

  /** This serve, running {@code runId}. */
  public RunningSweep mine(String runId) {
    return new RunningSweep(runId, cluster == null ? null : cluster.getNodeId(), ProcessHandle.current().pid(),
        cluster == null || cluster.getNodeInfo() == null ? "127.0.0.1 (not clustered)" : cluster.getNodeInfo().host());
  }

  /** Claims the one sweep for {@code mine}: completes with null when claimed, else with the sweep running now. */
  public Future<RunningSweep> claim(RunningSweep mine) {
    return map().compose(map -> map.putIfAbsent(KEY, mine.toJson()).compose(held -> {
      if (held == null) {
        return Future.succeededFuture(null);
      }
      RunningSweep running = RunningSweep.fromJson(held);
      if (cluster == null || cluster.getNodes().contains(running.nodeId())) {
        return Future.succeededFuture(running);
      }
      // its serve left the cluster: replace that claim, unless another serve just did
      return map.replaceIfPresent(KEY, held, mine.toJson())
          .compose(replaced -> replaced ? Future.succeededFuture(null) : claim(mine));
    }));
  }

  /** The sweep running now on any serve of the cluster (null when none, or when its serve has left). */
  Future<RunningSweep> running() {
    return map().compose(map -> map.get(KEY)).map(held -> {
      if (held == null) {
        return null;
      }
      RunningSweep running = RunningSweep.fromJson(held);
      return cluster == null || cluster.getNodes().contains(running.nodeId()) ? running : null;
    });
  }

  /** Gives the claim back (only if it is still {@code mine}). */
  public Future<Void> release(RunningSweep mine) {
    return map().compose(map -> map.removeIfPresent(KEY, mine.toJson())).mapEmpty();
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
