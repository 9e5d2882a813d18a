package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.SquaresMessages.Lost;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler on a local event bus with real node verticles (the cluster itself is exercised in SquaresIT). */
class SchedulerTest {
  private Vertx vertx;
  private final Map<String, Long> nodes = new LinkedHashMap<>();
  private final Map<String, String> deployments = new LinkedHashMap<>();

  @BeforeEach
  void nodes() {
    vertx = Vertx.vertx();
    for (String id : new String[] {"a", "b", "c"}) {
      deployments.put(id, vertx.deployVerticle(new SquaresNodeVerticle(id)).await());
      nodes.put(id, (long) id.charAt(0));
    }
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Creates and runs the scheduler on an event loop, as the coordinator does. */
  private Future<long[]> run(long from, long count, int chunk, java.util.function.Consumer<Scheduler> onFirstChunk) {
    Promise<long[]> result = Promise.promise();
    AtomicBoolean first = new AtomicBoolean();
    Scheduler[] self = new Scheduler[1];
    vertx.runOnContext(v -> {
      self[0] = new Scheduler(vertx, from, count, chunk, 2, 5_000, nodes, done -> {
        if (!first.getAndSet(true)) {
          onFirstChunk.accept(self[0]);
        }
      });
      self[0].run().onComplete(result);
    });
    return result.future();
  }

  @Test
  void resultsComeBackInInputOrder() {
    long[] squares = run(5, 10_007, 100, s -> { }).await();
    assertThat(squares).hasSize(10_007);
    for (int i = 0; i < squares.length; i++) {
      assertThat(squares[i]).isEqualTo((long) (i + 5) * (i + 5));
    }
  }

  /** The lesson's map with --chunk 1: ten chunks, dealt to the three nodes in turn (Pool.map spreads them too). */
  @Test
  void tinyChunksOfASmallMapAreDealtToEveryNode() {
    Scheduler[] seen = new Scheduler[1];
    long[] squares = run(1, 10, 1, s -> seen[0] = s).await();
    assertThat(squares).containsExactly(1, 4, 9, 16, 25, 36, 49, 64, 81, 100);
    assertThat(seen[0].timeline()).as("chunks per node: 4, 3, 3 (one node took all ten before)")
        .allSatisfy(t -> assertThat(t.spans().stream().mapToInt(sp -> sp.chunks()).sum()).isGreaterThanOrEqualTo(3));
  }

  /** The timeline: every number in some node's spans, at most MAX_SPANS a node, each span after the map began. */
  @Test
  void theTimelineHoldsEveryChunkInFewSpansPerNode() {
    Scheduler[] seen = new Scheduler[1];
    run(1, 100_000, 10, s -> seen[0] = s).await();
    var timeline = seen[0].timeline();
    assertThat(timeline).extracting(t -> t.nodeId()).containsExactly("a", "b", "c");
    assertThat(timeline.stream().flatMap(t -> t.spans().stream()).mapToLong(sp -> sp.numbers()).sum()).isEqualTo(100_000);
    assertThat(timeline.stream().flatMap(t -> t.spans().stream()).mapToInt(sp -> sp.chunks()).sum()).isEqualTo(10_000);
    assertThat(timeline).allSatisfy(t -> {
      assertThat(t.spans()).hasSizeLessThanOrEqualTo(Scheduler.MAX_SPANS);
      assertThat(t.spans()).allMatch(sp -> sp.startMs() >= 0 && sp.endMs() >= sp.startMs());
      assertThat(t.lostAtMs()).isEqualTo(-1);
      // spans alike (the last may be short): not a first span holding nearly everything
      var closed = t.spans().subList(0, Math.max(0, t.spans().size() - 1)).stream().mapToInt(sp -> sp.chunks()).summaryStatistics();
      assertThat(closed.getMax()).isLessThanOrEqualTo(2 * Math.max(1, closed.getMin()));
    });
  }

  @Test
  void aNodeThatLeavesHasItsChunksRequeuedAtOnce() {
    Scheduler[] seen = new Scheduler[1];
    long[] squares = run(1, 50_000, 50, s -> {
      seen[0] = s;
      vertx.undeploy(deployments.get("b")); // gone: its in-flight requests would only time out
      s.nodeLeft("b");
    }).await();
    assertThat(squares[49_999]).isEqualTo(2_500_000_000L);
    assertThat(seen[0].lost()).extracting(Lost::nodeId, Lost::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("b", "left the cluster"));
    assertThat(seen[0].retries()).isEqualTo(seen[0].lost().get(0).requeued());
    assertThat(seen[0].timeline()).filteredOn(t -> t.nodeId().equals("b")).singleElement()
        .satisfies(t -> assertThat(t.lostAtMs()).isNotNegative());
  }

  @Test
  void losingEveryNodeFailsTheRunWithAClearMessage() {
    assertThatThrownBy(() -> run(1, 50_000, 50, s -> nodes.keySet().forEach(s::nodeLeft)).await())
        .hasMessageContaining("all nodes were lost (3)").hasMessageContaining("chunks not computed");
  }

  /**
   * What a sweep sees when every node is killed mid-compute: the nodes stop answering (their requests fail, at once
   * or at the timeout) and leave the cluster, in any interleaving. The run fails with the one message, and no
   * handler throws (it used to: a drop inside a send re-entered the dispatch loop).
   */
  @Test
  void losingEveryNodeMidComputeFailsOnceAndNothingThrows() {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    vertx.exceptionHandler(uncaught::add);
    Future<long[]> run = run(1, 200_000, 50, s -> Future.all(deployments.values().stream().map(vertx::undeploy)
        .toList()).onComplete(ar -> {
          // their chunks in flight now fail (no handler) or time out, and each leaves, in some order
          nodes.keySet().forEach(s::nodeLeft);
        }));
    assertThatThrownBy(run::await).hasMessageContaining("all nodes were lost (3)").hasMessageContaining("chunks not computed");
    assertThat(uncaught).isEmpty();
  }

  /** The same when each node is found gone by a failing request rather than by a membership event. */
  @Test
  void nodesThatStopAnsweringAreDroppedAndTheRunFailsCleanly() {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    vertx.exceptionHandler(uncaught::add);
    Future<long[]> run = run(1, 200_000, 50, s -> deployments.values().forEach(vertx::undeploy));
    assertThatThrownBy(run::await).hasMessageContaining("all nodes were lost (3)");
    assertThat(uncaught).isEmpty();
  }

  /** Q6 on purpose: the node given the chunk holding failAt throws; the map fails with the node's own story. */
  @Test
  void aChunkAskedToFailFailsTheMapWithTheNodesExceptionThreadAndStack() {
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus());
    Promise<long[]> result = Promise.promise();
    Scheduler[] self = new Scheduler[1];
    vertx.runOnContext(v -> {
      self[0] = new Scheduler(vertx, 1, 1_000, 100, 2, 5_000, nodes, done -> { }).failingAt(457);
      self[0].run().onComplete(result);
    });
    assertThatThrownBy(() -> result.future().await()).hasMessageStartingWith(
        "a task failed on a node: ForcedFailure: square(457) failed on purpose: the run asked for failAt=457 "
            + "(chunk 401..500, node pid");
    assertThat(self[0].failures()).hasSize(1);
    var failure = self[0].failures().get(0);
    assertThat(failure.from()).isEqualTo(401);
    assertThat(failure.count()).isEqualTo(100);
    assertThat(failure.origin().getString("type")).isEqualTo(ForcedFailure.class.getName());
    assertThat(failure.origin().getString("thread")).startsWith("vert.x-eventloop-thread-");
    assertThat(failure.origin().getLong("pid")).isEqualTo(ProcessHandle.current().pid());
    assertThat(failure.origin().getJsonArray("stack").getString(0))
        .startsWith("at io.concurrencylab.squares.SquaresNodeVerticle.failAt(");
  }

  /**
   * Runs a map with a result port, once every node's connection is up. A node opens it at its first large chunk,
   * whose squares still come in its answer, and uses it from the chunk after the port's acceptance has reached it:
   * so each node gets one-chunk maps until one of its chunks comes through the port.
   */
  private Scheduler runThroughPort(long count, int chunk, long timeoutMs) {
    io.vertx.core.Context context = vertx.getOrCreateContext();
    Promise<ResultPort> opened = Promise.promise();
    context.runOnContext(v -> ResultPort.open(vertx, "127.0.0.1").onComplete(opened));
    ResultPort port = opened.future().await();
    for (String id : deployments.keySet()) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      long landed;
      do {
        assertThat(System.nanoTime()).as("node %s's connection to the result port is up", id).isLessThan(deadline);
        landed = port.framesLanded();
        map(context, port, chunk, chunk, 5_000, Map.of(id, nodes.get(id)));
      } while (port.framesLanded() == landed);
    }
    long before = port.framesLanded();
    Scheduler scheduler = map(context, port, count, chunk, timeoutMs, nodes);
    lastPort = port;
    framesThisMap = port.framesLanded() - before;
    return scheduler;
  }

  /** One map on {@code context}, its squares checked. */
  private Scheduler map(io.vertx.core.Context context, ResultPort port, long count, int chunk, long timeoutMs,
      Map<String, Long> on) {
    Scheduler[] self = new Scheduler[1];
    Promise<long[]> result = Promise.promise();
    context.runOnContext(v -> {
      self[0] = new Scheduler(vertx, 1, count, chunk, 2, timeoutMs, on, done -> { }, port);
      self[0].run().onComplete(result);
    });
    long[] squares = result.future().await();
    for (int i = 0; i < squares.length; i++) {
      assertThat(squares[i]).isEqualTo((long) (i + 1) * (i + 1));
    }
    return self[0];
  }

  private long framesThisMap;
  private ResultPort lastPort;

  /** With a result port, every chunk's squares come that way, read straight into the map's array. */
  @Test
  void theSquaresComeThroughTheResultPort() {
    Scheduler scheduler = runThroughPort(100_003, Scheduler.PORT_MIN_CHUNK, 5_000);
    assertThat(framesThisMap).isEqualTo((100_003 + Scheduler.PORT_MIN_CHUNK - 1) / Scheduler.PORT_MIN_CHUNK);
    assertThat(scheduler.lost()).isEmpty();
  }

  /**
   * A node that says it sent its squares to the port but whose squares never come is dropped after a chunk's
   * timeout, and its chunks are computed by the others: the answer alone does not count as the squares.
   */
  @Test
  void aNodeWhoseSquaresNeverArriveIsDroppedAndItsChunksDoneElsewhere() {
    vertx.eventBus().consumer(io.concurrencylab.bus.Addresses.squaresNode("liar"), msg -> msg.reply(null,
        new io.vertx.core.eventbus.DeliveryOptions().addHeader(io.concurrencylab.bus.SquaresMessages.RESULTS_SENT, "1")))
        .completion().await();
    nodes.put("liar", 7L);
    // chunks this large have a window of 2, so every node, the liar too, gets some at once
    Scheduler scheduler = runThroughPort(20 * 32_768, 32_768, 300);
    assertThat(scheduler.lost()).extracting(Lost::nodeId, Lost::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("liar", "its squares did not reach the result port within 300 ms"));
    assertThat(scheduler.lost().get(0).requeued()).isPositive();
  }

  @Test
  void autoChunkIsAboutFourChunksPerNode() {
    assertThat(Scheduler.autoChunk(1_000_000, 4)).isEqualTo(62_500);
    assertThat(Scheduler.autoChunk(100_000, 2)).isEqualTo(12_500);
    // small inputs: one chunk, the messaging costs more than the squares
    assertThat(Scheduler.autoChunk(10, 2)).isEqualTo(10);
    assertThat(Scheduler.autoChunk(5_000, 4)).isEqualTo(1_000);
    assertThat(Scheduler.autoChunk(1, 8)).isEqualTo(1);
  }
}
