package io.concurrencylab.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
 *   <li>a node of the app's cluster joins as a lite member and becomes a data member, for good (Hazelcast 5.3
 *       cannot turn one back), when it joins or a member leaves while fewer than {@code dataMembers}
 *       ({@code cluster.dataMembers}) hold data: the oldest lite members that may hold data make up the lack, and
 *       every one of them does when none is left ({@link #holdsData}). The others hold no partitions, so when they
 *       leave, several at once while a serve stays, no migration is planned, aborted and paused for Hazelcast's
 *       fixed 3 s. Vert.x writes nothing to the cluster before this manager's join completes, and it cleans up after
 *       a member that left only after the promotion here, in {@link #memberRemoved};
 *   <li>a data member about to leave (a serve, a node that holds data) first asks members that stay to hold data
 *       when no data member, or too few, would stay ({@link #successors}): Hazelcast lets the last data members go
 *       at once, and the cluster's maps (Vert.x's subscriptions, the node registry) would end with them while lite
 *       members stay. The members it leaves with (one {@code lab cluster stop}) are told by {@link #stopping};
 *   <li>a member there for a moment ({@code lab cluster status}, {@code lab squares --on-cluster}:
 *       {@link ClusterSettings#joinBriefly}) joins as a lite member that holds data only when no member does, so that
 *       its join and leave move no data; a {@code --lite} node where no member holds data fails its join in one line.
 * </ul>
 */
final class JoiningManager extends HazelcastClusterManager {
  private static final Logger log = LoggerFactory.getLogger(JoiningManager.class);
  private final ClusterSettings settings;
  private final EventBusOptions eventBus;
  private final int dataMembers;
  private final boolean onlyWhenNone;
  private final long created = System.nanoTime();
  private volatile boolean stopping;
  private volatile Predicate<Member> leavingWith = m -> false;
  private Vertx vertx;

  /**
   * @param dataMembers how many data members this member keeps the app's cluster at: a lite member by holding data
   *     itself (and the attribute {@link ClusterSettings#HOLDS_DATA_WHEN_NEEDED} says it may), a data member by
   *     asking others to before it leaves; 0: neither (a throwaway cluster's member, a {@code --lite} node)
   */
  JoiningManager(Config config, ClusterSettings settings, EventBusOptions eventBus, int dataMembers) {
    this(config, settings, eventBus, dataMembers, false);
  }

  /**
   * @param onlyWhenNone a lite member that holds data only when no member does (a probe of the app's cluster, as
   *     {@code lab cluster status}, which is there for a moment: alone, it must hold the maps Vert.x needs to join);
   *     the others never count on it ({@link Holding#NEVER}), and a member that leaves never asks it
   */
  JoiningManager(Config config, ClusterSettings settings, EventBusOptions eventBus, int dataMembers,
      boolean onlyWhenNone) {
    super(config);
    this.settings = settings;
    this.eventBus = eventBus;
    this.dataMembers = dataMembers;
    this.onlyWhenNone = onlyWhenNone;
    if (dataMembers > 0 && config.isLiteMember() && !onlyWhenNone) {
      config.getMemberAttributeConfig().setAttribute(ClusterSettings.HOLDS_DATA_WHEN_NEEDED, "true");
    }
    config.getUserContext().put(USER_CONTEXT, this); // for HoldData, which runs on this member when asked
  }

  /** What a member holds, as its member list shows it. */
  enum Holding {
    DATA, WHEN_NEEDED, NEVER;

    static Holding of(Member member) {
      return !member.isLiteMember() ? DATA
          : "true".equals(member.getAttribute(ClusterSettings.HOLDS_DATA_WHEN_NEEDED)) ? WHEN_NEEDED : NEVER;
    }
  }

  private static final String USER_CONTEXT = "lab.joiningManager";
  private static final String EXECUTOR = "lab.holdData";
  /**
   * How long a leaving data member waits for the members it asked to hold data (a promotion takes ~20-50 ms): out
   * of the 10 s a node gives its close, so that the hand-over keeps most of it.
   */
  private static final long ASK_TIMEOUT_MS = 3_000;
  /** The map, and the key in it, whose lock a data member ending at once holds until it is gone. */
  private static final String ENDING = "lab.endingAtOnce";
  /**
   * How long a data member waits for Hazelcast's check of its backups before it leaves instead (the check takes
   * milliseconds; Hazelcast's own limit, 10 s, would outlast {@code squares.stopGraceMs}).
   */
  static final long SAFE_CHECK_MS = 1_000;
  /** Between two backup checks that said no: a backup on its way takes a few ms. */
  static final long SAFE_RECHECK_MS = 10;

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
    var cluster = getHazelcastInstance().getCluster();
    if (dataMembers == 0 && cluster.getLocalMember().isLiteMember()
        && cluster.getMembers().stream().allMatch(Member::isLiteMember)) {
      // a lite member that may never hold data (lab node --lite) in a cluster where nobody does: Vert.x's first write
      // to the cluster's maps failed with Hazelcast's NoDataMemberInClusterException, as "unexpected error"
      promise.fail(new ClusterSettings.HoldDataException("no member of cluster " + settings.name() + " holds data, "
          + "and a lite member (--lite) never does: start a serve, or a node without --lite, first"));
      return;
    }
    if (dataMembers == 0 || !cluster.getLocalMember().isLiteMember()) {
      promise.succeed();
      return;
    }
    vertx.<Void>executeBlocking(() -> {
      holdDataIfNeeded(null);
      return null;
    }, false).onComplete((v, e) -> {
      if (e != null) { // not a usage error: the cluster could not take it now
        promise.fail(new ClusterSettings.HoldDataException("could not become a data member of a cluster that has "
            + "none: " + e.getMessage()));
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
    if (isActive() && getHazelcastInstance().getCluster().getMembers().contains(event.getMember())) {
      // told late: this member merged back meanwhile (see stateChanged), and that member is in the cluster again.
      // Vert.x would remove its registrations and node info from the whole cluster
      log.info("{} left while the cluster was split, and is a member again: nothing to clean up after it",
          event.getMember().getAddress());
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

  /**
   * Hazelcast's lifecycle news, which Vert.x acts on only once a merge is done ({@code MERGED}): only that one takes
   * this manager's lock (Vert.x's {@code stateChanged} is {@code synchronized}).
   *
   * <p>Hazelcast tells {@code MERGING} on the thread that then merges, before anything else. Should that wait for
   * the lock, held by a {@link #memberRemoved} still cleaning up after the other side's members (its map operations
   * cannot finish once the merge has frozen the cluster's partitions), the merge never starts. Seen in MultiHostIT
   * (a thread dump: {@code ClusterMergeTask} waiting for the lock, Vert.x's {@code removeAllForNodes} holding it):
   * node 3, the last member of its side, said it was merging, then stayed a cluster of its own for good.
   *
   * <p>Now the merge goes on, and that clean-up's last operations land in the merged cluster, where the member they
   * clean up after is alive: they remove some of its registrations (and its node info) for every member. So once
   * merged, this member runs Vert.x's own after-merge check and asks every other member to run it too
   * ({@link AfterMerge}), which puts each one's registrations and node info back; Hazelcast tells the members of the
   * larger side nothing.
   */
  @Override
  public void stateChanged(LifecycleEvent event) {
    if (event.getState() != LifecycleState.MERGED) {
      return;
    }
    super.stateChanged(event); // under the lock: after any clean-up still running; this member's check
    if (isActive()) {
      try { // and the others'
        getHazelcastInstance().getExecutorService(EXECUTOR).executeOnMembers(new AfterMerge(),
            com.hazelcast.cluster.memberselector.MemberSelectors.NON_LOCAL_MEMBER_SELECTOR);
      } catch (RuntimeException e) {
        log.warn("merged: could not ask the members to check their event-bus registrations: {}", e.toString());
      }
    }
  }

  /** Vert.x's after-merge check on this member: its node info and its registrations put back in the cluster. */
  private void afterMerge() {
    if (isActive() && !stopping) {
      super.stateChanged(new LifecycleEvent(LifecycleState.MERGED));
    }
  }

  /** Runs on every other member once one has merged: {@link #afterMerge}. */
  static final class AfterMerge extends OnMember implements Runnable {
    private static final long serialVersionUID = 1L;

    @Override
    public void run() {
      JoiningManager manager = manager();
      if (manager != null) {
        manager.afterMerge();
      }
    }
  }

  /** A task sent to other members (Hazelcast's executor), run on the manager of the member it reaches. */
  abstract static class OnMember implements java.io.Serializable, com.hazelcast.core.HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;
    private transient com.hazelcast.core.HazelcastInstance hazelcast;

    @Override
    public void setHazelcastInstance(com.hazelcast.core.HazelcastInstance hazelcast) {
      this.hazelcast = hazelcast;
    }

    /** That member's manager; null when it has none (it is not a member of the app's cluster). */
    JoiningManager manager() {
      return hazelcast.getUserContext().get(USER_CONTEXT) instanceof JoiningManager manager ? manager : null;
    }
  }

  /**
   * See {@link ClusterSettings.Clustered#stopping}.
   *
   * @param leavingWith the members that leave with this one, which it hands no data to
   */
  synchronized void stopping(Predicate<Member> leavingWith) { // after a promotion asked meanwhile: its caller sees it
    this.leavingWith = leavingWith;
    stopping = true;
  }

  /**
   * Vert.x closes: a data member first asks members that stay to hold data when too few would ({@link #successors}),
   * then leaves.
   */
  @Override
  public void leave(Completable<Void> promise) {
    var hazelcast = getHazelcastInstance(); // null when Hazelcast did not start (Vert.x closes after a failed join)
    if (dataMembers == 0 || !isActive() || hazelcast == null || !hazelcast.getLifecycleService().isRunning()) {
      super.leave(promise);
      return;
    }
    vertx.<Void>executeBlocking(() -> {
      askStayingMembersToHoldData();
      return null;
    }, false).onComplete((v, e) -> {
      if (e != null) {
        log.warn("leaving without asking members that stay to hold data: {}", e.toString());
      }
      super.leave(promise);
    });
  }

  private void askStayingMembersToHoldData() {
    var hazelcast = getHazelcastInstance();
    var cluster = hazelcast.getCluster();
    if (cluster.getLocalMember().isLiteMember()) {
      return;
    }
    List<Member> members = List.copyOf(cluster.getMembers());
    List<Holding> holding = new ArrayList<>(members.stream().map(Holding::of).toList());
    Predicate<Member> leaving = leavingWith;
    List<Boolean> leaves = new ArrayList<>(members.stream().map(m -> m.localMember() || leaving.test(m)).toList());
    long stayingData = java.util.stream.IntStream.range(0, members.size())
        .filter(i -> !leaves.get(i) && holding.get(i) == Holding.DATA).count();
    long start = System.nanoTime();
    Asked asked = askInTurn(holding, leaves, dataMembers, ASK_TIMEOUT_MS, (ask, left) -> answers(ask.stream()
        .map(i -> hazelcast.getExecutorService(EXECUTOR).submitToMember(new HoldData(), members.get(i))).toList(),
        left));
    asked.failed().forEach(why -> log.warn("leaving: a member asked to hold data did not: {}", why));
    if (asked.asked() > 0) {
      log.info("leaving: asked {} member(s) that stay to hold the cluster's data first ({} staying member(s) held "
          + "some; {} do now{}, in {} ms)", asked.asked(), stayingData, asked.holdNow(), asked.gone() == 0 ? ""
          : ", " + asked.gone() + " had left meanwhile", (System.nanoTime() - start) / 1_000_000);
    }
    if (asked.staying() > 0 && stayingData + asked.holdNow() == 0) {
      // members still listed that have ended (a lab cluster status that has just exited) stay no more than this one
      long alive = java.util.stream.IntStream.range(0, members.size()).filter(i -> !leaves.get(i))
          .filter(i -> !Members.ended(members.get(i))).count();
      if (alive > 0) {
        log.warn("leaving, and none of the {} member(s) that stay holds data or may hold it: the cluster's maps end "
            + "with the members that leave", alive);
      }
    }
  }

  /**
   * What asking in turn came to: members asked, how many hold data now, how many were gone, how many stay (those gone
   * not counted), and why those that failed did, one line each.
   */
  record Asked(int asked, int holdNow, int gone, long staying, List<String> failed) {}

  /**
   * Asks the {@link #successors} to hold data ({@code ask}: the indexes to ask and the ms left, to their answers, in
   * order), within {@code timeoutMs} in all. A member asked that turned out gone (a node lab cluster stop ended at
   * once is listed a few ms more) stays no more than this one: the next that may hold data is asked in its place,
   * until none asked is gone or no one is left. A member that said no or failed is not asked again.
   *
   * @param holding what each member holds; updated with what the members asked answered
   * @param leaves whether each member leaves; updated with those found gone
   */
  static Asked askInTurn(List<Holding> holding, List<Boolean> leaves, int wanted, long timeoutMs,
      java.util.function.BiFunction<List<Integer>, Long, Answers> ask) {
    long start = System.nanoTime();
    int asked = 0;
    int holdNow = 0;
    int gone = 0;
    List<String> failed = new ArrayList<>();
    for (List<Integer> next = successors(holding, leaves, wanted); !next.isEmpty();
        next = successors(holding, leaves, wanted)) {
      long left = timeoutMs - (System.nanoTime() - start) / 1_000_000;
      if (left <= 0) {
        failed.add(next.size() + " more to ask, and no time left for it");
        break;
      }
      Answers answers = ask.apply(next, left);
      asked += next.size();
      for (int j = 0; j < next.size(); j++) {
        switch (answers.each().get(j)) {
          case HOLDS -> {
            holding.set(next.get(j), Holding.DATA);
            holdNow++;
          }
          case GONE -> {
            leaves.set(next.get(j), true);
            gone++;
          }
          default -> holding.set(next.get(j), Holding.NEVER); // asked once
        }
      }
      failed.addAll(answers.failed());
      if (answers.each().stream().noneMatch(a -> a == Answer.GONE)) {
        break;
      }
    }
    long staying = leaves.stream().filter(l -> !l).count();
    return new Asked(asked, holdNow, gone, staying, List.copyOf(failed));
  }

  /** What a member asked to hold data answered. */
  enum Answer {
    HOLDS,
    /** it may not (e.g. it is stopping too) */
    DOES_NOT,
    /**
     * it is no longer a member: gone between the read of the member list and the ask (Hazelcast lists a member that
     * ended without a leave until it sees its connection closed)
     */
    GONE,
    /** an error, or no answer in time: one line in {@link Answers#failed} */
    FAILED
  }

  /** Each member's answer, in the order asked, and why those that failed did, one line each. */
  record Answers(List<Answer> each, List<String> failed) {}

  /** Waits for {@code replies} within {@code timeoutMs} in all. */
  static Answers answers(List<? extends java.util.concurrent.Future<Boolean>> replies, long timeoutMs) {
    long start = System.nanoTime();
    List<Answer> each = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (var reply : replies) { // (once interrupted, an answer not there yet fails at once, one already there counts)
      try {
        long left = timeoutMs - (System.nanoTime() - start) / 1_000_000;
        each.add(Boolean.TRUE.equals(reply.get(Math.max(1, left), TimeUnit.MILLISECONDS)) ? Answer.HOLDS
            : Answer.DOES_NOT);
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        boolean gone = cause instanceof com.hazelcast.spi.exception.TargetNotMemberException
            || cause instanceof com.hazelcast.core.MemberLeftException;
        each.add(gone ? Answer.GONE : Answer.FAILED);
        if (!gone) {
          failed.add(cause.toString());
        }
      } catch (java.util.concurrent.TimeoutException e) {
        each.add(Answer.FAILED);
        failed.add("no answer within the " + timeoutMs + " ms it had left");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        each.add(Answer.FAILED);
        failed.add("interrupted while waiting for its answer");
      }
    }
    return new Answers(List.copyOf(each), List.copyOf(failed));
  }

  /**
   * Why this member, stopping ({@link #stopping}), must leave the cluster rather than end at once, its process killed
   * without a leave; empty when ending loses nothing and leaves no member short of what it was promised. A lite
   * member may always ({@link #whyNotAtOnce}). A data member may when the member list allows it, every map and
   * multimap keeps a synchronous backup, no other data member is ending at once anywhere in the cluster (a claim
   * Hazelcast drops when its holder is gone: two stops on two hosts may each stop a data member, and a partition's
   * owner and backup may be those two), and Hazelcast says every partition it owns has an up-to-date backup
   * ({@code isLocalMemberSafe}), within {@link #SAFE_CHECK_MS}. Hazelcast's own leave would hand those partitions
   * over, and while lite members of the same stop leave it is planned again after each, so it waited for them: 8
   * nodes stopped in 0.7-0.95 s, against 0.19-0.25 s ending at once.
   */
  java.util.Optional<String> whyItMustLeave() {
    var hazelcast = getHazelcastInstance();
    if (hazelcast == null || !hazelcast.getLifecycleService().isRunning()) {
      return java.util.Optional.empty(); // out of the cluster already: nothing to leave
    }
    var cluster = hazelcast.getCluster();
    List<Member> members = List.copyOf(cluster.getMembers());
    int self = members.indexOf(cluster.getLocalMember());
    if (self < 0) { // (as while merging after a split)
      return java.util.Optional.of("it is not in its own member list");
    }
    List<Holding> holding = members.stream().map(Holding::of).toList();
    Predicate<Member> leaving = leavingWith;
    List<Boolean> leaves = members.stream().map(m -> m.localMember() || leaving.test(m)).toList();
    String why = whyNotAtOnce(holding, leaves, self, dataMembers);
    if (why != null || holding.get(self) != Holding.DATA) {
      return java.util.Optional.ofNullable(why);
    }
    if (!everyMapKeepsABackup(hazelcast.getConfig())) {
      return java.util.Optional.of("a map or multimap is configured without a synchronous backup");
    }
    // never released: Hazelcast releases a lock when its holder leaves the member list. Held from here to the end,
    // which waits for the sign-out too (run beside these checks): a data member ending at once elsewhere meanwhile
    // leaves gracefully instead
    if (!hazelcast.getMap(ENDING).tryLock(ENDING)) {
      return java.util.Optional.of("another data member is ending at once");
    }
    try {
      // asked again while it says no, within the same second: the writes of the nodes stopped with it (their
      // sign-outs) can have backups on their way (the likely cause, not traced); Hazelcast has them synced, and says
      // yes next time. Once in 10-20 stops of 8 nodes, a single check said no and the node left: ~0.8 s instead of
      // ~0.2 s
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SAFE_CHECK_MS);
      boolean safe = false;
      int checks = 0;
      while (!safe && System.nanoTime() < deadline) {
        if (checks++ > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SAFE_RECHECK_MS));
        }
        safe = java.util.concurrent.CompletableFuture.supplyAsync(() -> hazelcast.getPartitionService()
            .isLocalMemberSafe()).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      return safe ? java.util.Optional.empty()
          : java.util.Optional.of("the partitions it owns are not all backed up, up to date, by Hazelcast's check ("
              + checks + " checks in " + SAFE_CHECK_MS + " ms)");
    } catch (java.util.concurrent.TimeoutException e) {
      return java.util.Optional.of("Hazelcast did not check its backups within " + SAFE_CHECK_MS + " ms");
    } catch (java.util.concurrent.ExecutionException e) {
      return java.util.Optional.of("Hazelcast could not check its backups (" + e.getCause() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.of("interrupted");
    }
  }

  /**
   * Whether Hazelcast keeps a synchronous backup of every map and multimap: the default's, and those configured by
   * name. Synchronous: a write is done only once its backup is, so a write done after the backup check is still on a
   * member that stays; an asynchronous backup may not be there yet when its owner ends.
   */
  static boolean everyMapKeepsABackup(Config config) {
    return config.findMapConfig("default").getBackupCount() > 0
        && config.findMultiMapConfig("default").getBackupCount() > 0
        && config.getMapConfigs().values().stream().allMatch(c -> c.getBackupCount() > 0)
        && config.getMultiMapConfigs().values().stream().allMatch(c -> c.getBackupCount() > 0);
  }

  /**
   * The member list's part of {@link #whyItMustLeave}, null when it allows ending at once: a lite member may (it owns
   * no partitions, and Hazelcast's leave of one only closes its connections, as its end does); a data member may when
   * no other data member leaves with it (their backups could be each other's), at least one stays (to take its
   * partitions over from the backups), and no member that stays would be asked to hold data first
   * ({@link #successors}: a promotion moves partitions from this member, which its end would cut short).
   *
   * @param leaves per member: whether it leaves now (this one, and those it is stopped with)
   * @param self this member's index
   */
  static String whyNotAtOnce(List<Holding> holding, List<Boolean> leaves, int self, int wanted) {
    if (holding.get(self) != Holding.DATA) {
      return null;
    }
    if (java.util.stream.IntStream.range(0, holding.size())
        .anyMatch(i -> i != self && leaves.get(i) && holding.get(i) == Holding.DATA)) {
      return "another data member leaves with it";
    }
    if (java.util.stream.IntStream.range(0, holding.size())
        .noneMatch(i -> !leaves.get(i) && holding.get(i) == Holding.DATA)) {
      return "no data member stays";
    }
    return successors(holding, leaves, wanted).isEmpty() ? null : "a member that stays is to hold data first";
  }

  /**
   * Which members a data member that leaves asks to hold data first (indexes into {@code holding}, the members
   * oldest first): the oldest that stay and may hold data, as many as bring those that stay and hold data up to
   * {@code wanted}, or as many as there are. Those it does not ask hold data later if the cluster still lacks it
   * ({@link #holdsData}), when a member has left: asking first keeps the cluster's data off members without a
   * backup, and, when no data member stays, keeps it at all.
   *
   * @param leaves per member: whether it leaves now (this one, and those it is stopped with)
   */
  static List<Integer> successors(List<Holding> holding, List<Boolean> leaves, int wanted) {
    long stayingData = java.util.stream.IntStream.range(0, holding.size())
        .filter(i -> !leaves.get(i) && holding.get(i) == Holding.DATA).count();
    List<Integer> candidates = java.util.stream.IntStream.range(0, holding.size())
        .filter(i -> !leaves.get(i) && holding.get(i) == Holding.WHEN_NEEDED).boxed().toList();
    long need = Math.max(0, Math.min(wanted, stayingData + candidates.size()) - stayingData);
    return candidates.subList(0, (int) need);
  }

  /** Asked by a data member that leaves ({@link #successors}): becomes one, unless it may not or is stopping. */
  private synchronized boolean holdDataWhenAsked() {
    if (stopping || dataMembers == 0 || !isActive()
        || !"true".equals(getHazelcastInstance().getCluster().getLocalMember()
            .getAttribute(ClusterSettings.HOLDS_DATA_WHEN_NEEDED))) {
      return false;
    }
    if (getHazelcastInstance().getCluster().getLocalMember().isLiteMember()) {
      promote();
      log.info("a member that leaves asked this one to hold data: it does now (cluster.dataMembers is {})",
          dataMembers);
    }
    return true;
  }

  /** Runs on the member it is sent to: {@link #holdDataWhenAsked}. */
  static final class HoldData extends OnMember implements java.util.concurrent.Callable<Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean call() {
      JoiningManager manager = manager();
      return manager != null && manager.holdDataWhenAsked();
    }
  }

  /**
   * Promotes this lite member, trying again three times (0.2, 0.4, 0.8 s apart) while it is still lite: a promotion
   * fails when the master changes meanwhile, as when the member that led the cluster is the one that left.
   */
  private void promote() {
    var cluster = getHazelcastInstance().getCluster();
    for (int attempt = 1; ; attempt++) {
      try {
        cluster.promoteLocalLiteMember();
        return;
      } catch (RuntimeException e) {
        if (!cluster.getLocalMember().isLiteMember()) {
          return;
        }
        if (attempt == 4 || stopping || !isActive()) {
          throw e;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100L << attempt));
      }
    }
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
    List<Holding> holding = members.stream().map(Holding::of).toList();
    int self = members.indexOf(cluster.getLocalMember());
    long data = holding.stream().filter(h -> h == Holding.DATA).count();
    boolean holds = self >= 0 && (onlyWhenNone ? holding.get(self) == Holding.NEVER && data == 0
        : holding.get(self) == Holding.WHEN_NEEDED && holdsData(holding, self, dataMembers));
    if (!holds) {
      return;
    }
    try {
      promote();
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
   * Whether the lite member at {@code self} in {@code holding} (the cluster's members, oldest first) should become a
   * data member so that the cluster has {@code wanted} of them: the oldest lite members that may hold data make up
   * the lack, and every one of them when no member holds data (then nothing the cluster keeps answers). Lite members
   * that never hold data ({@code --lite} nodes) are not counted on.
   */
  static boolean holdsData(List<Holding> holding, int self, int wanted) {
    long data = holding.stream().filter(h -> h == Holding.DATA).count();
    if (data == 0) {
      return true;
    }
    long lacking = wanted - data;
    long olderCandidates = holding.subList(0, self).stream().filter(h -> h == Holding.WHEN_NEEDED).count();
    return olderCandidates < lacking;
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
      if (e instanceof ClusterSettings.JoinException || e instanceof ClusterSettings.HoldDataException) {
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
