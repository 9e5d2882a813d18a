package io.concurrencylab.list;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.ListMessages;
import io.concurrencylab.bus.ReplicaMessages;
import io.concurrencylab.bus.ReplicaMessages.Ack;
import io.concurrencylab.bus.ReplicaMessages.Install;
import io.concurrencylab.bus.ReplicaMessages.Op;
import io.concurrencylab.bus.ReplicaMessages.Replicate;
import io.concurrencylab.bus.SharedJsonCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list's owner for one epoch. It orders the operations (applying each to its own state as it comes, one event
 * loop, no lock), sends them in batches to the other voters and answers each request only once a majority of the
 * voters (itself included) hold it: an acknowledged operation then survives the death of this process. A read
 * ({@code snapshot}) is answered after such a round too, so an owner that was replaced cannot even answer reads.
 *
 * <p>One batch is in flight at a time; what arrives meanwhile makes the next one, so a busy owner sends large
 * batches. With no traffic it sends an empty batch every {@link #HEARTBEAT_MS} ms: the voters know it is alive,
 * and a frozen-then-resumed owner learns within one round that it was replaced. It steps down when a voter refuses
 * it (a higher epoch was promised) or when no majority answers for {@code stepDownAfterMs}.
 *
 * <p>Runs on the clustered list verticle's event loop.
 */
final class ListOwner {
  static final long HEARTBEAT_MS = 250;
  private static final Logger log = LoggerFactory.getLogger(ListOwner.class);

  private final Vertx vertx;
  private final String self;
  private final long epoch;
  private final ListState state;
  private final long stepDownAfterMs;
  private final Consumer<String> stepDown;
  private final DeliveryOptions replicate;
  private final DeliveryOptions install;

  /** Requests answered by the next round, and the operations it carries (those that changed the state). */
  private List<Pending> queued = new ArrayList<>();
  private List<Op> unsent = new ArrayList<>();
  /** Requests in flight by id: a retried request joins its first try instead of applying twice. */
  private final Map<String, Promise<JsonObject>> waiting = new HashMap<>();
  private long sentUpTo;
  private boolean inFlight;
  private long lastCommitNanos = System.nanoTime();
  private final long heartbeat;
  private boolean stopped;

  /** A request waiting for its round: its answer (or failure), the change to publish, and who waits. */
  private record Pending(JsonObject reply, LabException failure, ListState.Changed changed,
      Promise<JsonObject> promise) {}

  ListOwner(Vertx vertx, String self, long epoch, ListState state, long replicateTimeoutMs, long stepDownAfterMs,
      Consumer<String> stepDown) {
    this.vertx = vertx;
    this.self = self;
    this.epoch = epoch;
    this.state = state;
    this.stepDownAfterMs = stepDownAfterMs;
    this.stepDown = stepDown;
    this.sentUpTo = state.seq();
    this.replicate = new DeliveryOptions().setSendTimeout(replicateTimeoutMs)
        .addHeader(ReplicaMessages.TYPE, ReplicaMessages.Type.REPLICATE.name());
    this.install = new DeliveryOptions().setSendTimeout(replicateTimeoutMs * 4)
        .addHeader(ReplicaMessages.TYPE, ReplicaMessages.Type.INSTALL.name());
    this.heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> {
      if (!inFlight && queued.isEmpty()) {
        flush();
      }
    });
  }

  long epoch() {
    return epoch;
  }

  ListState state() {
    return state;
  }

  /** Applies {@code op} now and completes once a majority holds it: with the reply, or the op's own failure. */
  Future<JsonObject> submit(Op op) {
    if (stopped) {
      return Future.failedFuture(notOwner());
    }
    Promise<JsonObject> first = op.requestId() == null ? null : waiting.get(op.requestId());
    if (first != null) {
      return first.future(); // the same request, retried while its first try waits for its round
    }
    long before = state.seq();
    ListState.Outcome outcome = state.apply(op);
    if (state.seq() > before) {
      unsent.add(op);
    }
    Promise<JsonObject> promise = Promise.promise();
    if (op.requestId() != null && outcome.reply() != null) {
      waiting.put(op.requestId(), promise);
    }
    LabException failure = outcome.failed() ? new LabException(outcome.failureCode(), outcome.failure()) : null;
    queued.add(new Pending(outcome.reply(), failure, outcome.changed(), promise));
    flushSoon();
    return promise.future();
  }

  /** The list as of now, answered once a round started after this call is held by a majority. */
  Future<JsonObject> read() {
    if (stopped) {
      return Future.failedFuture(notOwner());
    }
    Promise<JsonObject> promise = Promise.promise();
    queued.add(new Pending(state.snapshot().toJson(), null, null, promise));
    flushSoon();
    return promise.future();
  }

  private void flushSoon() {
    if (!inFlight) {
      flush();
    }
  }

  /** Sends what is queued (or a heartbeat) to every other voter; commits once a majority holds it. */
  private void flush() {
    if (stopped) {
      return;
    }
    List<Pending> batch = queued;
    List<Op> ops = unsent;
    queued = new ArrayList<>();
    unsent = new ArrayList<>();
    long after = sentUpTo;
    long upTo = state.seq();
    sentUpTo = upTo;
    Set<String> holding = new HashSet<>(Set.of(self));
    if (state.majority(holding)) { // alone: nobody else to ask
      commit(batch);
      return;
    }
    inFlight = true;
    Replicate message = new Replicate(epoch, self, after, ops);
    List<String> others = state.voters().stream().filter(v -> !v.equals(self)).toList();
    int[] answered = {0};
    boolean[] done = {false};
    for (String voter : others) {
      vertx.eventBus().<JsonObject>request(Addresses.listReplica(voter), message.toJson(), replicate)
          .compose(reply -> {
            Ack ack = Ack.fromJson(reply.body());
            if (!ack.ok() && ack.promised() > epoch) {
              return Future.failedFuture(new Fenced(ack.promised()));
            }
            return ack.ok() ? Future.succeededFuture(ack) : installOn(voter);
          })
          .onComplete(ar -> {
            answered[0]++;
            if (done[0] || stopped) {
              return;
            }
            if (ar.failed() && ar.cause() instanceof Fenced fenced) {
              done[0] = true;
              resign("voter " + voter + " promised epoch " + fenced.promised + ", above this owner's " + epoch);
            } else if (state.majority(add(holding, ar.succeeded() && ar.result().seq() >= upTo ? voter : null))) {
              done[0] = true;
              inFlight = false;
              commit(batch);
              flushSoon(); // what queued up meanwhile
            } else if (answered[0] == others.size()) {
              done[0] = true;
              inFlight = false;
              noMajority(batch, ops, after);
            }
          });
    }
  }

  private static Set<String> add(Set<String> holding, String voter) {
    if (voter != null) {
      holding.add(voter);
    }
    return holding;
  }

  private Future<Ack> installOn(String voter) {
    Install message = new Install(epoch, self, state.toJson());
    return vertx.eventBus().<JsonObject>request(Addresses.listReplica(voter), message.toJson(), install)
        .map(reply -> Ack.fromJson(reply.body()))
        .compose(ack -> !ack.ok() && ack.promised() > epoch ? Future.failedFuture(new Fenced(ack.promised()))
            : Future.succeededFuture(ack));
  }

  /** Every requester of the batch gets its answer; the changes go out in order. */
  private void commit(List<Pending> batch) {
    lastCommitNanos = System.nanoTime();
    for (Pending p : batch) {
      if (p.changed() != null) {
        ListState.Changed c = p.changed();
        vertx.eventBus().publish(Addresses.LIST_CHANGED, new ListMessages.Changed(ListMessages.Op.valueOf(
            c.op().toUpperCase()), c.value(), c.size(), c.seq()).toJson(), SharedJsonCodec.OPTIONS);
      }
      if (p.failure() != null) {
        p.promise().tryFail(p.failure());
      } else {
        p.promise().tryComplete(p.reply());
      }
    }
    waiting.values().removeIf(p -> p.future().isComplete()); // a retry of these finds its answer in the state
  }

  /** A round no majority answered: it goes out again, unless no majority has answered for too long. */
  private void noMajority(List<Pending> batch, List<Op> ops, long after) {
    queued.addAll(0, batch);
    unsent.addAll(0, ops);
    sentUpTo = after;
    if ((System.nanoTime() - lastCommitNanos) / 1_000_000 > stepDownAfterMs) {
      resign("no majority of the voters " + state.voters() + " answered for " + stepDownAfterMs + " ms");
      return;
    }
    vertx.setTimer(50, id -> flushSoon());
  }

  private void resign(String why) {
    log.warn("list owner (epoch {}) stepping down: {}; it acknowledges nothing more", epoch, why);
    stop();
    stepDown.accept(why);
  }

  /** Ends this ownership: every request still waiting fails, so its client retries with the next owner. */
  void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    vertx.cancelTimer(heartbeat);
    queued.forEach(p -> p.promise().tryFail(notOwner()));
    queued.clear();
    waiting.values().forEach(p -> p.tryFail(notOwner()));
    waiting.clear();
  }

  private static LabException notOwner() {
    return new LabException(Failures.NOT_READY, ListMessages.NOT_OWNER);
  }

  /** A voter promised a higher epoch: another serve owns the list now. */
  private static final class Fenced extends RuntimeException {
    final long promised;

    Fenced(long promised) {
      super("fenced by epoch " + promised, null, false, false);
      this.promised = promised;
    }
  }
}
