package io.concurrencylab.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

/**
 * Where the nodes of a cluster sign in: a clustered {@code AsyncMap} (node id to pid and role) and a clustered
 * {@code Counter} of sign-ins, both changed under a clustered {@code Lock}. The lock is not needed for these two
 * (each operation is atomic on its own); it makes "sign-in" one step that other processes see whole, and it is
 * the lesson's Q5 across processes: Vert.x's answer to a multiprocessing Manager, Value and Lock.
 */
public final class NodeRegistry {
  public static final String MAP = "lab.nodes";
  public static final String COUNTER = "lab.nodes.signins";
  public static final String LOCK = "lab.nodes.register";

  private NodeRegistry() {}

  /** Signs this node in; {@code onWaiting} runs once the lock is asked for (the lesson's demo shows the wait). */
  public static Future<Long> signIn(Vertx vertx, String nodeId, String role, Runnable onWaiting) {
    var shared = vertx.sharedData();
    Future<io.vertx.core.shareddata.Lock> lock = shared.getLockWithTimeout(LOCK, 60_000);
    onWaiting.run();
    return lock.compose(held -> shared.<String, JsonObject>getAsyncMap(MAP)
        .compose(map -> map.put(nodeId, new JsonObject().put("pid", ProcessHandle.current().pid()).put("role", role)))
        .compose(v -> shared.getCounter(COUNTER))
        .compose(counter -> counter.incrementAndGet())
        .eventually(() -> {
          held.release();
          return Future.succeededFuture();
        }));
  }

  /** Signs this node out (on a clean stop). */
  public static Future<Void> signOut(Vertx vertx, String nodeId) {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(MAP).compose(map -> map.remove(nodeId)).mapEmpty();
  }

  public static Future<AsyncMap<String, JsonObject>> map(Vertx vertx) {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
