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
import io.concurrencylab.bus.ReplicateCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list's owner for one epoch. It orders the operations (applying each to its own state as it comes: one event
 * loop, no lock), sends them in rounds to the other voters, and answers each request only once a majority of the
 * voters (itself included) hold its operation: an acknowledged operation then survives the death of this process.
 * A read ({@code snapshot}) is answered after such a round too, so an owner that was replaced cannot even answer
 * reads.
 *
 * <p>Up to {@link #ROUNDS} rounds are in flight at once; what arrives meanwhile makes the next one, so a busy owner
 * sends large rounds and does not wait a whole round trip between them. A voter answers with the highest
 * operation it holds; an operation is committed once a majority hold it, and the rounds are answered in order.
 * With no traffic the owner sends an empty round every {@link #HEARTBEAT_MS} ms (it carries how far the owner has
 * committed, so the other serves publish the changes up to there, and a frozen-then-resumed owner learns within one
 * round that it was replaced). It steps down when a voter refuses it (a higher epoch was promised) or when nothing
 * was committed for {@code stepDownAfterMs}.
 *
 * <p>Runs on the clustered list verticle's event loop.
 */
final class ListOwner {
  static final long HEARTBEAT_MS = 250;
  static final int ROUNDS = 4;
  /** How soon after the last commit of a burst the others hear of it (and publish its changes). */
  static final long COMMIT_NEWS_MS = 20;
  private static final Logger log = LoggerFactory.getLogger(ListOwner.class);

  private final Vertx vertx;
  private final String self;
  private final long epoch;
  private final ListState state;
  private final long stepDownAfterMs;
  private final Consumer<String> stepDown;
  private final Consumer<ListState.Changed> publish;
  private final DeliveryOptions replicate;
  private final DeliveryOptions install;

  /** Requests waiting for the next round, and the operations it will carry (those that changed the state). */
  private List<Pending> queued = new ArrayList<>();
  private List<Op> unsent = new ArrayList<>();
  /** Rounds sent, not yet committed, oldest first. */
  private final ArrayDeque<Round> rounds = new ArrayDeque<>();
  /** Requests in flight by id: a retried request joins its first try instead of applying twice. */
  private final Map<String, Promise<JsonObject>> waiting = new HashMap<>();
  /** The highest operation each other voter said it holds. */
  private final Map<String, Long> held = new HashMap<>();
  /** Voters being sent the whole state: one install at a time each. */
  private final java.util.Set<String> installing = new java.util.HashSet<>();
  private long sentUpTo;
  private long committed;
  /** The commit the last round told the others about. */
  private long toldCommitted;
  private boolean commitSoon;
  private long lastCommitNanos = System.nanoTime();
  private long lastSentNanos = System.nanoTime();
  private final long heartbeat;
  private boolean stopped;
  /** A round is to be sent at the end of this event-loop turn (see {@link #sendSoon}). */
  private boolean sendScheduled;
  private final io.vertx.core.Context context;
  private ListMessages.OwnerChanged announced;

  /** A request waiting for its round: its answer (or failure), the change to publish, and who waits. */
  private record Pending(JsonObject reply, LabException failure, ListState.Changed changed,
      Promise<JsonObject> promise) {}

  /** A round: its requests, and the highest operation it carries. */
  private record Round(List<Pending> batch, long upTo) {}

  /**
   * @param publish publishes a committed change in this serve (the other serves publish it from their replica)
   */
  ListOwner(Vertx vertx, String self, long epoch, ListState state, long replicateTimeoutMs, long stepDownAfterMs,
      Consumer<String> stepDown, Consumer<ListState.Changed> publish) {
    this.vertx = vertx;
    this.self = self;
    this.epoch = epoch;
    this.state = state;
    this.stepDownAfterMs = stepDownAfterMs;
    this.stepDown = stepDown;
    this.publish = publish;
    this.sentUpTo = state.seq();
    this.committed = state.seq();
    this.replicate = ReplicateCodec.options(new DeliveryOptions().setSendTimeout(replicateTimeoutMs)
        .addHeader(ReplicaMessages.TYPE, ReplicaMessages.Type.REPLICATE.name()));
    this.install = new DeliveryOptions().setSendTimeout(replicateTimeoutMs * 4)
        .addHeader(ReplicaMessages.TYPE, ReplicaMessages.Type.INSTALL.name());
    this.heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> tick());
    this.context = vertx.getOrCreateContext();
  }

  long epoch() {
    return epoch;
  }

  /** How this owner took over, once it has said so: the replicas it installs later learn it too. */
  void announced(ListMessages.OwnerChanged change) {
    announced = change;
  }

  ListState state() {
    return state;
  }

  /**
   * Changes of the list this owner starts from that were never published (the last owner's operations this serve
   * applied but had not heard committed): published once this owner's first round is held by a majority, so a change
   * that a later owner might not have is never published.
   */
  void publishOnceHeld(List<ListState.Changed> changes) {
    for (ListState.Changed change : changes) {
      queued.add(new Pending(null, null, change, Promise.promise()));
    }
    if (!changes.isEmpty()) {
      sendSoon();
    }
  }

  /** Applies {@code op} now and completes once a majority holds it: with the reply, or the op's own failure. */
  Future<JsonObject> submit(Op op) {
    if (stopped) {
      return Future.failedFuture(notOwner());
    }
    Promise<JsonObject> first = op.requestId() == null ? null : waiting.get(op.requestId());
    if (first != null) { // the same request, retried while its first try waits for its round; or another under its id
      String conflict = state.conflict(op);
      return conflict == null ? first.future() : Future.failedFuture(new LabException(Failures.CONFLICT, conflict));
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
    sendSoon();
    return promise.future();
  }

  /** The list as of now, answered once a round started after this call is held by a majority. */
  Future<JsonObject> read() {
    if (stopped) {
      return Future.failedFuture(notOwner());
    }
    Promise<JsonObject> promise = Promise.promise();
    queued.add(new Pending(state.snapshot().toJson(), null, null, promise));
    sendSoon();
    return promise.future();
  }

  /**
   * A round once this event-loop turn is over: the requests that arrived together (one read of a client's
   * connection, one batch of messages) go in one round, rather than the first few in rounds of their own and the
   * rest waiting for those to come back.
   */
  private void sendSoon() {
    if (!sendScheduled) {
      sendScheduled = true;
      context.runOnContext(v -> {
        sendScheduled = false;
        send();
      });
    }
  }

  /** A round for what is queued, unless {@link #ROUNDS} are in flight already (the next one will carry it). */
  private void send() {
    if (stopped || rounds.size() >= ROUNDS) {
      return;
    }
    Round round = new Round(queued, state.seq());
    Replicate message = new Replicate(epoch, self, sentUpTo, List.copyOf(unsent), committed);
    toldCommitted = committed;
    queued = new ArrayList<>();
    unsent = new ArrayList<>();
    sentUpTo = round.upTo();
    rounds.add(round);
    lastSentNanos = System.nanoTime();
    for (String voter : state.voters()) {
      if (!voter.equals(self)) {
        vertx.eventBus().<JsonObject>request(Addresses.listReplica(voter), message, replicate)
            .onSuccess(reply -> answered(voter, Ack.fromJson(reply.body())));
      } // a voter that does not answer holds nothing more; the majority decides
    }
    advance();
  }

  private void answered(String voter, Ack ack) {
    if (stopped) {
      return;
    }
    if (!ack.ok() && ack.promised() > epoch) {
      resign("voter " + voter + " promised epoch " + ack.promised() + ", above this owner's " + epoch);
    } else if (!ack.ok()) { // behind, or on another epoch's state: give it the whole state
      if (!installing.add(voter)) {
        return;
      }
      Install message = new Install(epoch, self, state.toJson(), announced);
      long upTo = state.seq();
      vertx.eventBus().<JsonObject>request(Addresses.listReplica(voter), message.toJson(), install)
          .onComplete(ar -> installing.remove(voter))
          .onSuccess(reply -> {
            Ack installed = Ack.fromJson(reply.body());
            answered(voter, installed.ok() ? new Ack(true, installed.promised(), Math.min(upTo, installed.seq()))
                : installed);
          });
    } else {
      held.merge(voter, ack.seq(), Math::max);
      advance();
    }
  }

  /** Commits every round a majority holds, in order: answers its requests and publishes its changes. */
  private void advance() {
    long majority = majorityHolds();
    while (!rounds.isEmpty() && rounds.peek().upTo() <= majority) {
      Round round = rounds.poll();
      committed = Math.max(committed, round.upTo());
      lastCommitNanos = System.nanoTime();
      for (Pending p : round.batch()) {
        if (p.changed() != null) {
          publish.accept(p.changed());
        }
        if (p.failure() != null) {
          p.promise().tryFail(p.failure());
        } else {
          p.promise().tryComplete(p.reply());
        }
      }
    }
    waiting.values().removeIf(p -> p.future().isComplete()); // a retry of these finds its answer in the state
    if (!queued.isEmpty()) {
      send();
    } else if (rounds.isEmpty() && committed > toldCommitted && !commitSoon) {
      // the others publish the changes up to where this owner committed: tell them soon, not at the next heartbeat
      commitSoon = true;
      vertx.setTimer(COMMIT_NEWS_MS, id -> {
        commitSoon = false;
        if (rounds.isEmpty() && committed > toldCommitted) {
          send();
        }
      });
    }
  }

  /** The highest operation a majority of the voters hold (this owner holds all it has sent). */
  private long majorityHolds() {
    List<Long> seqs = new ArrayList<>();
    for (String voter : state.voters()) {
      seqs.add(voter.equals(self) ? sentUpTo : held.getOrDefault(voter, 0L));
    }
    seqs.sort((a, b) -> Long.compare(b, a));
    return seqs.isEmpty() ? 0 : seqs.get(seqs.size() / 2); // more than half hold at least this
  }

  private void tick() {
    if (stopped) {
      return;
    }
    if (!rounds.isEmpty() && (System.nanoTime() - lastCommitNanos) / 1_000_000 > stepDownAfterMs) {
      resign("no majority of the voters " + state.voters() + " answered for " + stepDownAfterMs + " ms");
    } else if (rounds.isEmpty() && (System.nanoTime() - lastSentNanos) / 1_000_000 >= HEARTBEAT_MS) {
      send(); // a heartbeat (and how far the owner committed)
    }
  }

  private void resign(String why) {
    if (!state.voters().contains(self)) { // it left the voters itself: its serve is stopping, a hand-over
      log.info("list owner (epoch {}) stepping down: it has left the voters (its serve is stopping)", epoch);
    } else {
      log.warn("list owner (epoch {}) stepping down: {}; it acknowledges nothing more", epoch, why);
    }
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
    rounds.forEach(r -> r.batch().forEach(p -> p.promise().tryFail(notOwner())));
    rounds.clear();
    queued.forEach(p -> p.promise().tryFail(notOwner()));
    queued.clear();
    waiting.values().forEach(p -> p.tryFail(notOwner()));
    waiting.clear();
  }

  private static LabException notOwner() {
    return new LabException(Failures.NOT_READY, ListMessages.NOT_OWNER);
  }
}
