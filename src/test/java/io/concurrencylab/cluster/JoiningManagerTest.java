package io.concurrencylab.cluster;

import static io.concurrencylab.cluster.JoiningManager.Holding.DATA;
import static io.concurrencylab.cluster.JoiningManager.Holding.NEVER;
import static io.concurrencylab.cluster.JoiningManager.Holding.WHEN_NEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.cluster.JoiningManager.Holding;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which members of the app's cluster hold data (members oldest first): which lite members become data members, and
 * which a data member that leaves asks first.
 */
class JoiningManagerTest {
  @Test
  void theOldestLiteMembersMakeUpTheLack() {
    // a serve (data) and three nodes: the first node holds data, the others do not
    List<Holding> serveAndNodes = List.of(DATA, WHEN_NEEDED, WHEN_NEEDED, WHEN_NEEDED);
    assertThat(JoiningManager.holdsData(serveAndNodes, 1, 2)).isTrue();
    assertThat(JoiningManager.holdsData(serveAndNodes, 2, 2)).isFalse();
    assertThat(JoiningManager.holdsData(serveAndNodes, 3, 2)).isFalse();
    // wanting three: the first two nodes
    assertThat(JoiningManager.holdsData(serveAndNodes, 2, 3)).isTrue();
    assertThat(JoiningManager.holdsData(serveAndNodes, 3, 3)).isFalse();
  }

  @Test
  void liteMembersThatNeverHoldDataAreNotCountedOn() {
    // a serve, a --lite node (a sweep's, say) older than two nodes: the first node still makes up the lack
    List<Holding> members = List.of(DATA, NEVER, WHEN_NEEDED, WHEN_NEEDED);
    assertThat(JoiningManager.holdsData(members, 2, 2)).isTrue();
    assertThat(JoiningManager.holdsData(members, 3, 2)).isFalse();
  }

  @Test
  void enoughDataMembersMeansNoneMore() {
    List<Holding> twoServes = List.of(DATA, DATA, WHEN_NEEDED, WHEN_NEEDED);
    assertThat(JoiningManager.holdsData(twoServes, 2, 2)).isFalse();
    assertThat(JoiningManager.holdsData(twoServes, 3, 1)).isFalse();
  }

  @Test
  void withNoDataMemberEveryLiteMemberHoldsData() {
    List<Holding> allLite = List.of(WHEN_NEEDED, WHEN_NEEDED, WHEN_NEEDED);
    for (int i = 0; i < 3; i++) {
      assertThat(JoiningManager.holdsData(allLite, i, 1)).as("member %d", i).isTrue();
    }
    // the first member of a new cluster, alone
    assertThat(JoiningManager.holdsData(List.of(WHEN_NEEDED), 0, 2)).isTrue();
  }

  @Test
  void dataMembersThatAllLeaveAskTheOldestStayingNodesFirst() {
    // one lab cluster stop of two data nodes and one lite node, while another lab cluster's two lite nodes stay
    List<Holding> members = List.of(DATA, DATA, WHEN_NEEDED, WHEN_NEEDED, WHEN_NEEDED);
    List<Boolean> leaves = List.of(true, true, true, false, false);
    assertThat(JoiningManager.successors(members, leaves, 2)).containsExactly(3, 4);
    assertThat(JoiningManager.successors(members, leaves, 1)).containsExactly(3);
    // fewer stay than wanted: every one that may
    assertThat(JoiningManager.successors(members, leaves, 5)).containsExactly(3, 4);
  }

  @Test
  void aDataMemberThatLeavesAsksNobodyWhileEnoughHoldData() {
    // a serve stays while a node that holds data leaves: with cluster.dataMembers 1, nobody needs asking
    List<Holding> members = List.of(DATA, DATA, WHEN_NEEDED);
    assertThat(JoiningManager.successors(members, List.of(false, true, false), 1)).isEmpty();
    // with 2, the staying node makes up the lack
    assertThat(JoiningManager.successors(members, List.of(false, true, false), 2)).containsExactly(2);
  }

  @Test
  void membersThatNeverHoldDataAreNotAsked() {
    List<Holding> members = List.of(DATA, NEVER, NEVER);
    assertThat(JoiningManager.successors(members, List.of(true, false, false), 2)).isEmpty();
    List<Holding> mixed = List.of(DATA, NEVER, WHEN_NEEDED);
    assertThat(JoiningManager.successors(mixed, List.of(true, false, false), 2)).containsExactly(2);
  }

  /**
   * A member stopping may end at once, without a leave, when that loses nothing: a lite member always; a data member
   * (as far as the member list tells) when no other data member leaves with it, one stays, and nobody that stays
   * must be asked to hold data first.
   */
  @Test
  void aDataMemberEndsAtOnceOnlyWhenAnotherKeepsItsBackupsAndNobodyNeedsAsking() {
    // serve, the node holding data, a lite node: the two nodes stop together
    List<Holding> serveAndNodes = List.of(DATA, DATA, WHEN_NEEDED);
    List<Boolean> nodesLeave = List.of(false, true, true);
    assertThat(JoiningManager.whyNotAtOnce(serveAndNodes, nodesLeave, 1, 2)).isNull();
    assertThat(JoiningManager.whyNotAtOnce(serveAndNodes, nodesLeave, 2, 2)).as("lite").isNull();
    // the lite node stays: it is asked to hold data first, and that moves partitions from the one leaving
    assertThat(JoiningManager.whyNotAtOnce(serveAndNodes, List.of(false, true, false), 1, 2))
        .isEqualTo("a member that stays is to hold data first");
    assertThat(JoiningManager.whyNotAtOnce(serveAndNodes, List.of(false, true, false), 1, 1)).as("one is enough")
        .isNull();
    // two data members leave together: a partition's owner and backup may be those two
    List<Holding> twoDataNodes = List.of(DATA, DATA, DATA);
    assertThat(JoiningManager.whyNotAtOnce(twoDataNodes, List.of(false, true, true), 1, 2))
        .isEqualTo("another data member leaves with it");
    // no data member stays: nobody to take its partitions over
    assertThat(JoiningManager.whyNotAtOnce(List.of(WHEN_NEEDED, DATA), List.of(false, true), 1, 0))
        .isEqualTo("no data member stays");
    assertThat(JoiningManager.whyNotAtOnce(List.of(NEVER, DATA), List.of(false, true), 1, 2))
        .isEqualTo("no data member stays");
  }

  /**
   * Ending at once relies on a synchronous backup of everything: conf/cluster.xml keeps one; a map without, or with
   * an asynchronous one only, makes it leave.
   */
  @Test
  void endingAtOnceNeedsABackupOfEveryMap() throws Exception {
    com.hazelcast.config.Config config = new com.hazelcast.config.XmlConfigBuilder(
        java.nio.file.Files.newInputStream(java.nio.file.Path.of("conf/cluster.xml"))).build();
    assertThat(JoiningManager.everyMapKeepsABackup(config)).isTrue();
    config.addMapConfig(new com.hazelcast.config.MapConfig("lab.noBackup").setBackupCount(0));
    assertThat(JoiningManager.everyMapKeepsABackup(config)).isFalse();
    config.addMapConfig(new com.hazelcast.config.MapConfig("lab.noBackup").setAsyncBackupCount(1).setBackupCount(0));
    assertThat(JoiningManager.everyMapKeepsABackup(config)).as("an async backup only").isFalse();
    config.addMapConfig(new com.hazelcast.config.MapConfig("lab.noBackup").setBackupCount(1));
    assertThat(JoiningManager.everyMapKeepsABackup(config)).isTrue();
  }

  /**
   * A member asked to hold data that is no longer a member (a node that lab cluster stop ended at once is listed a few
   * ms more) counts as gone, not as a failure: a serve stopped right after its nodes logged a warning and a stack
   * trace for each. Any other failure is one line, the cause's.
   */
  @Test
  void membersGoneMeanwhileAreCountedNotWarnedAbout() {
    var answers = JoiningManager.answers(List.of(
        java.util.concurrent.CompletableFuture.completedFuture(true),
        java.util.concurrent.CompletableFuture.completedFuture(false),
        java.util.concurrent.CompletableFuture.failedFuture(
            new com.hazelcast.spi.exception.TargetNotMemberException("Not Member! target: [127.0.0.1]:5705")),
        java.util.concurrent.CompletableFuture.failedFuture(new com.hazelcast.core.MemberLeftException("left")),
        java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("refused"))), 1_000);
    assertThat(answers.each()).containsExactly(JoiningManager.Answer.HOLDS, JoiningManager.Answer.DOES_NOT,
        JoiningManager.Answer.GONE, JoiningManager.Answer.GONE, JoiningManager.Answer.FAILED);
    assertThat(answers.failed()).containsExactly("java.lang.IllegalStateException: refused");
  }

  @Test
  void aMemberThatDoesNotAnswerInTimeIsOneLine() {
    var answers = JoiningManager.answers(List.of(new java.util.concurrent.CompletableFuture<Boolean>()), 20);
    assertThat(answers.each()).containsExactly(JoiningManager.Answer.FAILED);
    assertThat(answers.failed()).containsExactly("no answer within the 20 ms it had left");
  }

  /**
   * A serve stopped as lab cluster stop ended its nodes at once still listed three of them: it asked two, both gone,
   * then warned that the maps end while "3 members stay". Now the next is asked in place of each one gone.
   */
  @Test
  void aMemberFoundGoneIsReplacedByTheNextAndNotCountedAsStaying() {
    // a serve (data, leaving) and three nodes that may hold data, all three gone already
    List<Holding> holding = new java.util.ArrayList<>(List.of(DATA, WHEN_NEEDED, WHEN_NEEDED, WHEN_NEEDED));
    List<Boolean> leaves = new java.util.ArrayList<>(List.of(true, false, false, false));
    List<List<Integer>> rounds = new java.util.ArrayList<>();
    var asked = JoiningManager.askInTurn(holding, leaves, 2, 1_000, (ask, left) -> {
      rounds.add(List.copyOf(ask));
      return new JoiningManager.Answers(ask.stream().map(i -> JoiningManager.Answer.GONE).toList(), List.of());
    });
    assertThat(rounds).containsExactly(List.of(1, 2), List.of(3));
    assertThat(asked).isEqualTo(new JoiningManager.Asked(3, 0, 3, 0, List.of()));

    // the first asked is gone, the next that may hold data does: the cluster keeps its data
    holding = new java.util.ArrayList<>(List.of(DATA, WHEN_NEEDED, WHEN_NEEDED, NEVER));
    leaves = new java.util.ArrayList<>(List.of(true, false, false, false));
    rounds.clear();
    asked = JoiningManager.askInTurn(holding, leaves, 1, 1_000, (ask, left) -> {
      rounds.add(List.copyOf(ask));
      return new JoiningManager.Answers(ask.stream().map(i -> i == 1 ? JoiningManager.Answer.GONE
          : JoiningManager.Answer.HOLDS).toList(), List.of());
    });
    assertThat(rounds).containsExactly(List.of(1), List.of(2));
    assertThat(asked).isEqualTo(new JoiningManager.Asked(2, 1, 1, 2, List.of()));
    assertThat(holding).containsExactly(DATA, WHEN_NEEDED, DATA, NEVER);
  }

  /** One that says no or fails is not asked again, and nobody else is asked in its place (it stays). */
  @Test
  void aMemberThatSaysNoOrFailsIsAskedOnce() {
    List<Holding> holding = new java.util.ArrayList<>(List.of(DATA, WHEN_NEEDED, WHEN_NEEDED));
    List<Boolean> leaves = new java.util.ArrayList<>(List.of(true, false, false));
    List<List<Integer>> rounds = new java.util.ArrayList<>();
    var asked = JoiningManager.askInTurn(holding, leaves, 1, 1_000, (ask, left) -> {
      rounds.add(List.copyOf(ask));
      return new JoiningManager.Answers(List.of(JoiningManager.Answer.FAILED), List.of("no answer within 9 ms"));
    });
    assertThat(rounds).containsExactly(List.of(1));
    assertThat(asked).isEqualTo(new JoiningManager.Asked(1, 0, 0, 2, List.of("no answer within 9 ms")));
  }

  /** Interrupted while waiting: the answers already there count, the others fail at once, one line each. */
  @Test
  void anInterruptedWaitKeepsTheAnswersThereAndFailsTheRest() {
    Thread.currentThread().interrupt();
    try {
      var answers = JoiningManager.answers(List.of(new java.util.concurrent.CompletableFuture<Boolean>(),
          java.util.concurrent.CompletableFuture.completedFuture(true),
          new java.util.concurrent.CompletableFuture<Boolean>()), 60_000);
      assertThat(answers.each()).containsExactly(JoiningManager.Answer.FAILED, JoiningManager.Answer.HOLDS,
          JoiningManager.Answer.FAILED);
      assertThat(answers.failed()).containsExactly("interrupted while waiting for its answer",
          "interrupted while waiting for its answer");
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  /**
   * Hazelcast tells {@code MERGING} on the thread that then merges: it must not wait for the manager's lock, which a
   * member-removed clean-up can hold for as long as its map operations wait (the merge froze the partitions they
   * need). It did (Vert.x's {@code stateChanged} is synchronized), and a node of MultiHostIT never merged back.
   */
  @Test
  void hazelcastsMergingNewsDoesNotWaitForTheManagersLock() throws Exception {
    JoiningManager manager = new JoiningManager(new com.hazelcast.config.Config(), null,
        new io.vertx.core.eventbus.EventBusOptions(), 0);
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Thread holder = new Thread(() -> {
      synchronized (manager) { // as memberRemoved does, through Vert.x's clean-up
        held.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    holder.start();
    held.await();
    try {
      java.util.concurrent.CompletableFuture.runAsync(() -> manager.stateChanged(
          new com.hazelcast.core.LifecycleEvent(com.hazelcast.core.LifecycleEvent.LifecycleState.MERGING)))
          .get(10, java.util.concurrent.TimeUnit.SECONDS); // before: waited for the lock
    } finally {
      release.countDown();
      holder.join();
    }
  }
}
