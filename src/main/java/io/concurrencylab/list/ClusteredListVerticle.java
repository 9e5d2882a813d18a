package io.concurrencylab.list;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.ListMessages;
import io.concurrencylab.bus.ListMessages.Add;
import io.concurrencylab.bus.ListMessages.OwnerChanged;
import io.concurrencylab.bus.ListMessages.OwnerInfo;
import io.concurrencylab.bus.ReplicaMessages;
import io.concurrencylab.bus.ReplicaMessages.Install;
import io.concurrencylab.bus.ReplicaMessages.Op;
import io.concurrencylab.bus.ReplicaMessages.Prepare;
import io.concurrencylab.bus.ReplicaMessages.Replicate;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Q4 and Q5 across processes: the list of the whole cluster, with one owner among the serves. Every serve runs one
 * of these; each holds a {@link Replica} of the list, and one of them also owns it ({@link ListOwner}): only that one
 * consumes {@code lab.list.add}, {@code lab.list.remove} and {@code lab.list.snapshot} (so every serve's page, API
 * and bridge reach the same list) and runs the producer and the consumer (one pair per cluster).
 *
 * <p>When the owner is gone from the cluster (killed, stopped, frozen long enough for Hazelcast to drop it), the
 * oldest voter alive runs an {@link Election}, with the next ones following if it does not win, and the winner
 * carries on from the most advanced state a majority held: every acknowledged operation is there. A serve that is
 * new asks the owner to count it among the voters ({@code lab.list.voters}); a serve that stops asks to be left out,
 * and an owner that stops hands over that way first. The owner also drops voters that left the cluster.
 *
 * <p>Everything runs on this verticle's event loop; membership news from Hazelcast's threads hops onto it.
 */
public final class ClusteredListVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ClusteredListVerticle.class);
  private static final long TICK_MS = 250;
  /** A voter further down the line of candidates waits this much longer per place before it tries. */
  private static final long NEXT_CANDIDATE_MS = 2_000;
  /** A serve that has not heard from the live owner for this long asks it to count it among the voters. */
  private static final long JOIN_AFTER_MS = 1_000;
  /** A serve that could not elect an owner and found none this long says so, once. */
  private static final long NO_OWNER_SAID_AFTER_MS = 15_000;
  /** A lost election is tried again after a pause that doubles up to this (with some randomness). */
  private static final long MAX_ELECTION_PAUSE_MS = 2_000;

  /** The serves of the cluster as Hazelcast sees them; given by whoever deploys this (it knows the cluster). */
  public interface Serves {
    /** This serve's Vert.x node id. */
    String self();

    /** The node ids of the serves in the cluster now, oldest member first (the same order on every member). */
    List<String> live();

    /** Calls {@code change} (on any thread) whenever a member joins or leaves. */
    void onChange(Runnable change);
  }

  private final Serves serves;
  private final int capacity;
  private final long replicateTimeoutMs;
  private final long stepDownAfterMs;
  private final Function<String, List<io.vertx.core.Deployable>> actors;
  private Replica replica;
  private ListOwner owner;
  private ListMeters meters;
  private final List<MessageConsumer<?>> ownerConsumers = new ArrayList<>();
  private final List<String> actorDeployments = new ArrayList<>();
  private String ownerId;
  private long lastOwnerContact = System.nanoTime();
  private long noOwnerSince = System.nanoTime();
  private boolean electing;
  private long nextElection;
  private long electionPause = TICK_MS;
  private boolean joining;
  /** A join found no owner at all: the list is new, and the live serves may elect its first owner. */
  private boolean noOwnerAnywhere;
  private boolean stopping;
  private OwnerChanged lastChange;
  private final Set<String> leaving = new HashSet<>();
  /**
   * Every serve seen in this serve's cluster since it started. While it holds no state (it was never counted among
   * a list's voters), these are the voters of the list it might start: a new serve cut off from the others before it
   * was counted in sees a minority of them, and starts no list of its own on its side.
   */
  private final Set<String> seen = new java.util.LinkedHashSet<>();
  /** The serves in this serve's cluster now, as of the last membership news (read by the owner per request). */
  private Set<String> liveNow = Set.of();
  /**
   * The list's voters as a lost election showed them, when this serve's own state had others (it missed the change):
   * used instead of its state's until it hears from an owner.
   */
  private Set<String> learnedVoters;
  /** Why this serve could not try for the list (too few voters here), as last logged: logged once per reason. */
  private String noMajorityLogged;
  /**
   * The last change of voters this owner submitted: each next one waits until it is held by a majority, so any two
   * consecutive sets of voters share a majority (two serves joining in one round, with the owner dying, could leave
   * an older majority that missed the round).
   */
  private Future<?> voterChange = Future.succeededFuture();
  private int voterChangesWaiting;
  private static final int MAX_VOTER_CHANGES_WAITING = 16;
  /** Whether the lack of any owner was logged (by a serve that joins, and cannot elect). */
  private boolean noOwnerSaid;
  /** Serves outside this cluster whose late requests were ignored, as logged (once each, at most 16). */
  private final Set<String> outsidersLogged = new HashSet<>();
  private final io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> stampVia = this::stampVia;
  /** Changes applied from the owner's rounds, published once the owner says it committed them. */
  private final java.util.ArrayDeque<ListState.Changed> unpublished = new java.util.ArrayDeque<>();
  private static final DeliveryOptions REPLY = io.concurrencylab.bus.SharedJsonCodec.OPTIONS;

  /**
   * @param actors the producer and consumer to run while this serve owns the list (given its node id)
   */
  public ClusteredListVerticle(Serves serves, int capacity, long replicateTimeoutMs, long stepDownAfterMs,
      Function<String, List<io.vertx.core.Deployable>> actors) {
    this.serves = serves;
    this.capacity = capacity;
    this.replicateTimeoutMs = replicateTimeoutMs;
    this.stepDownAfterMs = stepDownAfterMs;
    this.actors = actors;
  }

  @Override
  public Future<?> start() {
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // failures carry where and how they happened
    replica = new Replica(capacity);
    io.concurrencylab.bus.SharedJsonCodec.register(vertx.eventBus());
    io.concurrencylab.bus.ReplicateCodec.register(vertx.eventBus());
    io.concurrencylab.bus.ChangedCodec.register(vertx.eventBus());
    liveNow = Set.copyOf(serves.live());
    seen.addAll(liveNow);
    seen.add(serves.self());
    vertx.eventBus().addOutboundInterceptor(stampVia);
    serves.onChange(() -> context.runOnContext(v -> reconsider()));
    vertx.setPeriodic(TICK_MS, id -> reconsider());
    return Future.all(
            vertx.eventBus().consumer(Addresses.listReplica(serves.self()), this::replicaMessage).completion(),
            vertx.eventBus().consumer(Addresses.LIST_OWNER, this::ownerInfo).completion(),
            vertx.eventBus().<JsonObject>consumer(Addresses.LIST_OWNER_CHANGED, m -> ownerChanged(m.body())).completion())
        .onSuccess(v -> reconsider());
  }

  /** A serve took over: followed from now on (and asked to count this one in, should it not replicate to it). */
  private void ownerChanged(JsonObject event) {
    OwnerChanged changed = OwnerChanged.fromJson(event);
    lastChange = changed;
    if (owner == null && changed.epoch() >= replica.seen()) {
      ownerId = changed.owner();
      replica.saw(changed.epoch());
      noOwnerAnywhere = false;
    }
  }

  /** Who owns what, as this serve knows it. */
  private void ownerInfo(Message<Object> msg) {
    if (!Bodies.takesNone(msg, Addresses.LIST_OWNER)) {
      return;
    }
    ListState state = replica.state();
    List<String> voters = state == null ? List.of() : List.copyOf(state.voters());
    // an owner out of this serve's cluster (dead, or on the other side of a cut) owns nothing here: none is named
    String named = owner != null || ownerId != null && liveNow.contains(ownerId) ? ownerId : null;
    msg.reply(new OwnerInfo(named, replica.accepted(), voters, serves.self(), lastChange).toJson());
  }

  private void replicaMessage(Message<Object> msg) {
    ReplicaMessages.Type type;
    try {
      type = ReplicaMessages.Type.valueOf(String.valueOf(msg.headers().get(ReplicaMessages.TYPE)));
    } catch (IllegalArgumentException e) {
      msg.fail(Failures.BAD_INPUT, "not a replica message");
      return;
    }
    switch (type) {
      case PREPARE -> {
        Prepare prepare = Prepare.fromJson((JsonObject) msg.body());
        boolean ownerAlive = ownerId != null && !ownerId.equals(prepare.candidate()) && serves.live().contains(ownerId);
        var answer = replica.prepare(prepare, ownerAlive);
        msg.reply((ownerAlive ? answer.because(ownerId) : answer).toJson()); // a candidate that lost track learns it
      }
      case REPLICATE -> {
        if (!(msg.body() instanceof Replicate replicate)) { // sent with ReplicateCodec, by an owner
          msg.fail(Failures.BAD_INPUT, "not a replica message");
          return;
        }
        supersededBy(replicate.epoch(), replicate.owner());
        var ack = replica.replicate(replicate, unpublished::add);
        heardFrom(replicate.epoch(), replicate.owner());
        msg.reply(ack.toJson());
        if (ack.ok()) {
          publishUpTo(replicate.commit());
        }
      }
      case INSTALL -> {
        Install install = Install.fromJson((JsonObject) msg.body());
        supersededBy(install.epoch(), install.owner());
        unpublished.clear(); // a whole new state: observers see the jump and reload
        var ack = replica.install(install);
        heardFrom(install.epoch(), install.owner());
        if (ack.ok() && install.lastChange() != null
            && (lastChange == null || lastChange.epoch() < install.lastChange().epoch())) {
          lastChange = install.lastChange(); // a serve that joined after the owner's announcement
        }
        msg.reply(ack.toJson());
      }
      case FETCH -> msg.reply(replica.fetch().toJson());
    }
  }

  /**
   * Publishes, in this serve only, the changes of the operations the owner has committed: each serve publishes
   * every change from its own replica, in the same order with the same numbers, and no change crosses the cluster.
   */
  private void publishUpTo(long commit) {
    while (!unpublished.isEmpty() && unpublished.peek().opSeq() <= commit) {
      publishHere(unpublished.poll());
    }
  }

  private void publishHere(ListState.Changed changed) {
    vertx.eventBus().publish(Addresses.LIST_CHANGED, changed.event(), io.concurrencylab.bus.ChangedCodec.HERE);
  }

  /** Another serve owns a newer epoch: if this one thought it owned the list, it does not any more. */
  private void supersededBy(long epoch, String other) {
    if (owner != null && epoch > owner.epoch() && !other.equals(serves.self())) {
      log.warn("list owner (epoch {}) stepping down: {} owns epoch {} now; it acknowledges nothing more",
          owner.epoch(), other, epoch);
      stepDown();
    }
  }

  private void heardFrom(long epoch, String from) {
    if (epoch >= replica.promised()) {
      noOwnerSaid = false;
      learnedVoters = null; // the owner's own state comes with the voters
      ownerId = from;
      lastOwnerContact = System.nanoTime();
      noOwnerAnywhere = false;
    }
  }

  /** What to do now: nothing, join the voters, run an election, or (as owner) drop voters that left. */
  private void reconsider() {
    List<String> live = serves.live();
    liveNow = Set.copyOf(live);
    if (replica.state() == null) {
      seen.addAll(live);
    }
    if (stopping) {
      return;
    }
    if (owner != null) {
      noMajorityLogged = null;
      dropVotersGone(live);
      return;
    }
    long now = System.nanoTime();
    ListState state = replica.state();
    if (ownerId != null && live.contains(ownerId)) {
      noOwnerSince = now;
      noMajorityLogged = null;
      // not (or no longer) among the voters the owner replicates to: ask to be counted in
      if (state == null || !state.voters().contains(serves.self())
          || (now - lastOwnerContact) / 1_000_000 > JOIN_AFTER_MS) {
        join();
      }
      return;
    }
    if (electing || now < nextElection) {
      return;
    }
    Set<String> voters = votersFor();
    int place = candidates(voters, live).indexOf(serves.self());
    boolean quietLong = (now - noOwnerSince) / 1_000_000 > NEXT_CANDIDATE_MS; // a join may time out, not say "nobody"
    if (place < 0 || state == null && (place > 0 || !noOwnerAnywhere && !quietLong)) {
      // not a voter; or a new serve: only the oldest serve starts a new list, and only once nobody owns one
      join();
      return;
    }
    if ((now - noOwnerSince) / 1_000_000 >= place * NEXT_CANDIDATE_MS) {
      elect(voters, live);
    }
  }

  /**
   * The voters of the state this serve holds; for a list nobody holds yet (a new cluster), every serve seen since
   * this one started: a majority of them must be here to start one.
   */
  private Set<String> votersFor() {
    if (learnedVoters != null) {
      return learnedVoters;
    }
    ListState state = replica.state();
    return state != null && !state.voters().isEmpty() ? state.voters() : Set.copyOf(seen);
  }

  /** The live voters, oldest member first: the order in which they try to become the owner. */
  private static List<String> candidates(Set<String> voters, List<String> live) {
    return live.stream().filter(voters::contains).toList();
  }

  private void elect(Set<String> voters, List<String> live) {
    electing = true;
    String previous = ownerId;
    long lastHeard = lastOwnerContact;
    Election.run(vertx, serves.self(), replica, voters, live, capacity, replicateTimeoutMs).onComplete(ar -> {
      electing = false;
      if (ar.failed()) {
        if (ar.cause() instanceof Election.NoMajority) {
          noMajority(ar.cause().getMessage());
        } else if (ar.cause() instanceof Election.OwnerAlive alive) {
          // it was frozen or cut off, and came back: it follows that owner and asks to be counted in again
          log.info("the list's owner is {}, alive (this serve had lost track of it): asking to be counted among its "
              + "voters", alive.owner);
          ownerId = alive.owner;
          lastOwnerContact = System.nanoTime() - (JOIN_AFTER_MS + 1) * 1_000_000; // ask at once
          electionPause = TICK_MS;
          return;
        } else if (ar.cause() instanceof Election.StaleVoters stale) {
          log.info("no election won: {}", stale.getMessage());
          learnedVoters = Set.copyOf(stale.voters);
        } else {
          log.debug("no election won: {}", ar.cause().getMessage());
        }
        nextElection = System.nanoTime() + (electionPause + java.util.concurrent.ThreadLocalRandom.current()
            .nextLong(electionPause)) * 1_000_000;
        electionPause = Math.min(MAX_ELECTION_PAUSE_MS, electionPause * 2);
        return;
      }
      electionPause = TICK_MS;
      if (ownerId != null && !ownerId.equals(previous) && serves.live().contains(ownerId)) {
        return; // another serve won meanwhile
      }
      becomeOwner(ar.result(), previous, lastHeard);
    });
  }

  /** Said once per reason (the voters, and how many of them are here), not at each try. */
  private void noMajority(String why) {
    if (!why.equals(noMajorityLogged)) {
      noMajorityLogged = why;
      log.warn("no list owner on this side: {}; this serve will not act as the list's owner, and list requests "
          + "through it get 503 (owner failing over) until a majority of the voters is back in its cluster", why);
    }
  }

  private void becomeOwner(Election.Won won, String previous, long lastHeard) {
    ListState state = won.state();
    if (state.voters().isEmpty()) { // a new list: the live serves it was elected among are its first voters
      won.voters().forEach(v -> state.apply(Op.join(v)));
    }
    learnedVoters = null; // its own state's voters from now on
    voterChange = Future.succeededFuture();
    voterChangesWaiting = 0;
    boolean ownState = state == replica.state();
    replica.own(won.epoch(), state);
    // The changes of operations this serve applied from the last owner but had not heard committed: they are in the
    // list it now owns, so they are published (their events were missing at a failover), once this owner's first
    // round is held by a majority. A state taken from another serve comes without them: observers see the seq jump
    // and reload.
    List<ListState.Changed> held = new ArrayList<>();
    while (ownState && !unpublished.isEmpty() && unpublished.peek().opSeq() <= state.seq()) {
      held.add(unpublished.poll());
    }
    unpublished.clear();
    owner = new ListOwner(vertx, serves.self(), won.epoch(), state, replicateTimeoutMs, stepDownAfterMs,
        why -> stepDown(), this::publishHere);
    owner.publishOnceHeld(held);
    meters = new ListMeters();
    ownerId = serves.self();
    var bus = vertx.eventBus();
    ownerConsumers.add(bus.consumer(Addresses.LIST_ADD, this::add));
    ownerConsumers.add(bus.consumer(Addresses.LIST_REMOVE, this::remove));
    ownerConsumers.add(bus.consumer(Addresses.LIST_SNAPSHOT, this::snapshot));
    ownerConsumers.add(bus.<JsonObject>consumer(Addresses.LIST_VOTERS, this::voters));
    long epoch = won.epoch();
    Future.all(ownerConsumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> deployActors())
        .onSuccess(v -> {
          if (owner == null || owner.epoch() != epoch) {
            return; // stepped down meanwhile
          }
          Long gap = previous == null ? null : (System.nanoTime() - lastHeard) / 1_000_000;
          lastChange = new OwnerChanged(previous, serves.self(), epoch, gap, System.currentTimeMillis());
          owner.announced(lastChange);
          log.info("list owner now (epoch {}, voters {}, {} items){}", epoch, state.voters(), state.size(),
              previous == null ? "" : ", after " + previous + " (" + gap + " ms since last heard from it)");
          bus.publish(Addresses.LIST_OWNER_CHANGED, lastChange.toJson());
          dropVotersGone(serves.live());
        })
        .onFailure(e -> {
          log.warn("could not take over the list: {}", e.getMessage());
          stepDown();
        });
  }

  private Future<Void> deployActors() {
    List<Future<String>> deployed = new ArrayList<>();
    for (io.vertx.core.Deployable actor : actors.apply(serves.self())) {
      deployed.add(vertx.deployVerticle(actor, new DeploymentOptions()).onSuccess(actorDeployments::add));
    }
    return Future.all(deployed).mapEmpty();
  }

  /** As owner: a join or leave, once the change before it is held by a majority (see {@link #voterChange}). */
  private Future<JsonObject> changeVoters(Op op) {
    if (voterChangesWaiting >= MAX_VOTER_CHANGES_WAITING) {
      return Future.failedFuture(new io.concurrencylab.bus.LabException(Failures.NOT_READY,
          "changes of voters are waiting already; ask again"));
    }
    ListOwner current = owner;
    voterChangesWaiting++;
    Future<JsonObject> next = voterChange.transform(ar -> current.submit(op)) // a stopped owner refuses it
        .andThen(ar -> voterChangesWaiting = Math.max(0, voterChangesWaiting - 1));
    voterChange = next;
    return next;
  }

  /** As owner: voters that left the cluster stop voting (while a majority of them still answers). */
  private void dropVotersGone(List<String> live) {
    for (String voter : owner.state().voters()) {
      if (!live.contains(voter) && leaving.add(voter)) {
        changeVoters(Op.leave(voter)).onComplete(ar -> leaving.remove(voter));
      }
    }
  }

  private void stepDown() {
    if (owner == null) {
      return;
    }
    owner.stop();
    owner = null;
    ownerId = null;
    noOwnerSince = System.nanoTime();
    meters.remove();
    ownerConsumers.forEach(MessageConsumer::unregister);
    ownerConsumers.clear();
    actorDeployments.forEach(vertx::undeploy);
    actorDeployments.clear();
  }

  private void join() {
    if (joining) {
      return;
    }
    joining = true;
    vertx.eventBus().request(Addresses.LIST_VOTERS, new JsonObject().put("join", serves.self()),
            new DeliveryOptions().setSendTimeout(replicateTimeoutMs * 4))
        .onComplete(ar -> {
          joining = false;
          if (ar.failed()) {
            log.debug("asked to be counted among the voters: {}", ar.cause().getMessage());
          } else {
            log.debug("counted among the voters: {}", ar.result().body());
          }
          noOwnerAnywhere = ar.failed() && ar.cause() instanceof io.vertx.core.eventbus.ReplyException re
              && re.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS;
          long quietMs = (System.nanoTime() - noOwnerSince) / 1_000_000;
          if (ar.failed() && owner == null && !(ownerId != null && liveNow.contains(ownerId))
              && quietMs > NO_OWNER_SAID_AFTER_MS && !noOwnerSaid) {
            noOwnerSaid = true; // once, until an owner is heard from
            log.warn("no list owner has answered in this cluster for {} s, and this serve is not among the voters "
                + "that could elect one: list requests through it get 503 (owner failing over). A serve holding the "
                + "list logs why (e.g. 'no list owner on this side'); with two voters, one lost in a crash ends the "
                + "list (README: 'A majority is needed')", quietMs / 1_000);
          }
        });
  }

  /**
   * Every list request this serve passes on to the owner ({@link io.concurrencylab.bus.OwnerRequests}: the ones with
   * a request id) names this serve, so the owner can tell one sent from outside its cluster. Only such requests: their
   * headers are the request's own copy, never a sender's shared options.
   */
  private void stampVia(io.vertx.core.eventbus.DeliveryContext<Object> delivery) {
    Message<Object> message = delivery.message();
    if (Addresses.LIST_REQUESTS.contains(message.address()) && message.headers().get(ListMessages.REQUEST_ID) != null) {
      message.headers().set(ListMessages.VIA_SERVE, serves.self());
    }
    delivery.next();
  }

  /**
   * Whether {@code msg} came too late ({@link ListMessages#HOLD_UNTIL} passed: its client was told it failed), or was
   * passed on by a serve that is not in this owner's cluster: one cut off from it, whose message TCP delivered once
   * the link healed. That serve's client was answered already (503 past its hold, or it
   * gave up); applying it now would put in the list what was refused. Ignored, with no answer either: an answer would
   * make Vert.x try to connect to a serve outside the cluster, and log that failure with its stack.
   */
  private boolean fromOutside(Message<?> msg) {
    String holdUntil = msg.headers().get(ListMessages.HOLD_UNTIL);
    if (ListMessages.holdPassed(holdUntil, System.currentTimeMillis())) {
      log.debug("list request {} arrived after its serve stopped holding it (its client had a 503): ignored",
          msg.address());
      return true;
    }
    String via = msg.headers().get(ListMessages.VIA_SERVE);
    if (via == null || liveNow.contains(via)) {
      return false;
    }
    if (outsidersLogged.size() < 16 && outsidersLogged.add(via)) {
      log.warn("list request {} from serve {}, which is not in this owner's cluster (cut off, its message late): "
          + "ignored, not applied", msg.address(), via);
    }
    return true;
  }

  // The owner's handlers

  private void add(Message<Object> msg) {
    if (owner == null) { // stepped down; the consumer is being unregistered
      msg.fail(Failures.NOT_READY, ListMessages.NOT_OWNER);
      return;
    }
    if (fromOutside(msg)) {
      return;
    }
    long value;
    String requestId;
    try {
      value = Add.fromBody(msg.body()).value();
      requestId = ListMessages.requestId(msg.headers().get(ListMessages.REQUEST_ID), ListMessages.REQUEST_ID);
    } catch (RuntimeException e) {
      Failures.reply(msg, e);
      return;
    }
    answer(msg, owner.submit(Op.add(requestId, value)), true);
  }

  private void remove(Message<Object> msg) {
    if (owner == null) {
      msg.fail(Failures.NOT_READY, ListMessages.NOT_OWNER);
      return;
    }
    if (fromOutside(msg)) {
      return;
    }
    if (!Bodies.takesNone(msg, Addresses.LIST_REMOVE)) {
      return;
    }
    String requestId;
    try {
      requestId = ListMessages.requestId(msg.headers().get(ListMessages.REQUEST_ID), ListMessages.REQUEST_ID);
    } catch (RuntimeException e) {
      Failures.reply(msg, e);
      return;
    }
    answer(msg, owner.submit(Op.remove(requestId)), false);
  }

  private void snapshot(Message<Object> msg) {
    if (owner == null) {
      msg.fail(Failures.NOT_READY, ListMessages.NOT_OWNER);
      return;
    }
    if (fromOutside(msg)) {
      return;
    }
    if (!Bodies.takesNone(msg, Addresses.LIST_SNAPSHOT)) {
      return;
    }
    answer(msg, owner.read(), null);
  }

  /** A serve joins the voters, or leaves them. */
  private void voters(Message<JsonObject> msg) {
    String join = msg.body().getString("join");
    String leave = msg.body().getString("leave");
    if (owner == null || join == null && leave == null) {
      msg.fail(Failures.NOT_READY, ListMessages.NOT_OWNER);
      return;
    }
    if (join != null && !liveNow.contains(join)) { // a late join from a serve cut off: it would be dropped again at once
      log.debug("join of {} ignored: not among the serves of this cluster {}", join, liveNow);
      return;
    }
    Op op = join != null ? Op.join(join) : Op.leave(leave);
    changeVoters(op).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        Failures.reply(msg, ar.cause());
      }
    });
  }

  /** Replies once the owner's round is done; {@code added}: true for an add, false for a remove, null for a read. */
  private void answer(Message<Object> msg, Future<JsonObject> done, Boolean added) {
    ListMeters counting = meters;
    done.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result(), REPLY); // built fresh for this reply and only read: shared, not copied, in-process
        if (added != null && counting != null) {
          int size = ar.result().getInteger("size");
          if (added) {
            counting.added(size);
          } else {
            counting.removed(ar.result().getValue("removed") == null, size);
          }
        }
      } else {
        Failures.reply(msg, ar.cause());
      }
    });
  }

  /**
   * A serve that stops leaves the voters first, so the others do not wait for it; an owner hands over that way:
   * once it is out of the voters, the next one takes over as soon as this serve leaves the cluster. The last voter
   * cannot leave ({@link ListState} refuses it at once): it steps down without a hand-over, and the list ends with it.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.eventBus().removeOutboundInterceptor(stampVia);
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(2_000);
    ListOwner current = owner;
    Future<?> left = current != null
        ? changeVoters(Op.leave(serves.self()))
            .onFailure(e -> log.info("list owner (epoch {}) stepping down without a hand-over: {}", current.epoch(),
                e.getMessage()))
            .map(v -> (Object) v).otherwiseEmpty()
        : vertx.eventBus().request(Addresses.LIST_VOTERS, new JsonObject().put("leave", serves.self()), quick)
            .map(v -> (Object) v).otherwiseEmpty();
    return left.eventually(() -> {
      stepDown();
      return Future.succeededFuture();
    });
  }

  /** For tests: this serve's view. */
  String ownerId() {
    return ownerId;
  }

  boolean owns() {
    return owner != null;
  }

}
