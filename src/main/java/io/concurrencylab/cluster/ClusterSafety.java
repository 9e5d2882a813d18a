package io.concurrencylab.cluster;

import com.hazelcast.partition.PartitionService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The "cluster" procedure of a serve's {@code /health}: UP when Hazelcast says the cluster is safe (every partition's
 * backups in sync), DOWN with why otherwise. In place of vertx-hazelcast's {@code ClusterHealthCheck}, which asks
 * without a bound of its own: right after members leave, the question took over the health check's 2 s, the check
 * timed out (a 500, as for a failed procedure), and the answer, arriving later, completed the promise a second time
 * ("Promise already completed", an ERROR in the serve's log). Here the answer is given within {@link #ANSWER_MS}
 * either way. A question Hazelcast has not answered yet is shared by the checks that come meanwhile; once it is older
 * than {@link #YOUNG_MS}, a new one is asked (one asked just as a member went took over 2 s by hand, while the next
 * answers at once), up to {@link #MAX_ASKING} at a time, so a client calling {@code /health} in a loop ties up a few
 * worker threads, not one per call.
 */
public final class ClusterSafety {
  /** Within the health check's own 2 s. */
  static final long ANSWER_MS = 1_500;
  /**
   * A question younger than this is shared; an older one is likely stuck (Hazelcast answers in ms when it can). Well
   * under {@link #ANSWER_MS}: a check that comes as the one before it gave up asks anew.
   */
  static final long YOUNG_MS = ANSWER_MS / 2;
  /** Questions Hazelcast has not answered yet, at most: each holds a worker thread. */
  static final int MAX_ASKING = 4;

  private final Vertx vertx;
  private final PartitionService partitions;
  private final java.util.concurrent.atomic.AtomicInteger asking = new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicReference<Asked> newest = new AtomicReference<>();

  private record Asked(Future<Boolean> answer, long sinceNanos) {}

  public ClusterSafety(Vertx vertx, PartitionService partitions) {
    this.vertx = vertx;
    this.partitions = partitions;
  }

  /** The procedure to register, e.g. {@code WebVerticle.withHealthCheck("cluster", 2_000, safety.procedure())}. */
  public Handler<Promise<Status>> procedure() {
    return promise -> {
      long timer = vertx.setTimer(ANSWER_MS, t -> promise.tryComplete(Status.KO(new JsonObject().put("error",
          "Hazelcast did not say within " + ANSWER_MS + " ms whether the cluster's partitions are safe (members "
              + "joining or leaving: their backups are being synced)"))));
      ask().onComplete(ar -> {
        vertx.cancelTimer(timer);
        promise.tryComplete(ar.failed() ? Status.KO(new JsonObject().put("error", String.valueOf(ar.cause())))
            : ar.result() ? Status.OK() : Status.KO(new JsonObject().put("error", "the cluster's partitions are not "
                + "safe: some backups are not in sync (members joining or leaving)")));
      });
    };
  }

  /**
   * Hazelcast's answer: to the newest question while it is young, or whatever it is when {@link #MAX_ASKING} are out
   * (never a fifth worker thread held), else to a new one.
   */
  private Future<Boolean> ask() {
    Asked last = newest.get();
    if (last != null && (asking.get() >= MAX_ASKING || !last.answer().isComplete()
        && System.nanoTime() - last.sinceNanos() < java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(YOUNG_MS))) {
      return last.answer();
    }
    asking.incrementAndGet();
    Future<Boolean> answer = vertx.executeBlocking(partitions::isClusterSafe, false)
        .andThen(ar -> asking.decrementAndGet());
    newest.set(new Asked(answer, System.nanoTime()));
    return answer;
  }
}
