package io.concurrencylab.squares;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.Chunk;
import io.concurrencylab.bus.SquaresMessages.Lost;
import io.concurrencylab.bus.SquaresMessages.NodeOp;
import io.concurrencylab.bus.SquaresMessages.NodeTimeline;
import io.concurrencylab.bus.SquaresMessages.Span;
import io.concurrencylab.bus.SquaresMessages.TaskFailure;
import io.concurrencylab.bus.RemoteFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Hands chunks of the range to the nodes, like {@code Pool.map}: each node has a window of chunks in flight
 * ({@code squares.window}, wider for small chunks) and gets its next chunk as soon as it answers (so faster nodes do
 * more: work stealing). Results land in input order: written there by the {@link ResultPort} for large chunks, taken
 * from the answers for small ones. A node that leaves the cluster ({@link #nodeLeft}) or does not answer a chunk in
 * time is dropped and its chunks in flight go back to the front of the queue at once, for the others.
 *
 * <p>Not thread-safe: every method runs on the coordinator's event loop (membership events hop onto it first).
 */
final class Scheduler implements ResultPort.Sink {
  private final Vertx vertx;
  private final long from;
  private final int chunkSize;
  private final int window;
  private final DeliveryOptions options;
  private final long[] results;
  private final boolean[] done;
  /** Chunks sent out at least once: the only ones a result port's frame may fill. */
  private final boolean[] sent;
  /** Chunks whose squares have all reached the result port (by any node: every node computes the same squares). */
  private final java.util.BitSet landed = new java.util.BitSet();
  /** Chunks a node says it sent to the result port, not all landed yet: the node, and the timer that gives up. */
  private final Map<Integer, Awaited> awaited = new java.util.HashMap<>();
  private final ResultPort port;
  private int mapId = -1;
  private final ArrayDeque<Integer> queue = new ArrayDeque<>();
  private final Map<String, NodeState> active = new LinkedHashMap<>();
  /** Every node that took part, lost ones included: the timeline. */
  private final List<NodeState> all = new ArrayList<>();
  private long startNanos = System.nanoTime();
  /** When each chunk in flight was sent (ns). */
  private final Map<Integer, Long> sentAt = new java.util.HashMap<>();
  private final List<Lost> lost = new ArrayList<>();
  private final List<TaskFailure> failures = new ArrayList<>();
  private Map<String, String> hosts = Map.of();
  private final int chunksTotal;
  private long failAt = -1;
  private final LongConsumer progress;
  private final Promise<long[]> finished = Promise.promise();
  private int chunksLeft;
  private long numbersDone;
  private int retries;
  private boolean dispatching;
  private boolean dispatchAgain;

  private record Awaited(NodeState node, long timer) {}

  private static final class NodeState {
    final String nodeId;
    final long pid;
    final Set<Integer> inFlight = new HashSet<>();
    /**
     * Its chunks as done, coalesced as they come so that a map of millions of tiny chunks stays small: every span
     * holds {@code per} chunks (the last one, {@code open}, fewer); when there are too many, neighbours merge and
     * {@code per} doubles, so the spans stay alike.
     */
    List<Span> spans = new ArrayList<>();
    Span open;
    int per = 1;
    long chunks;
    long numbers;
    double lostAtMs = -1;

    void done(Span span) {
      chunks++;
      numbers += span.numbers();
      open = open == null ? span : open.merge(span);
      if (open.chunks() >= per) {
        spans.add(open);
        open = null;
        if (spans.size() >= 2 * MAX_SPANS) {
          spans = halved(spans);
          per *= 2;
        }
      }
    }

    List<Span> all() {
      List<Span> all = new ArrayList<>(spans);
      if (open != null) {
        all.add(open);
      }
      return all;
    }

    NodeState(String nodeId, long pid) {
      this.nodeId = nodeId;
      this.pid = pid;
    }
  }

  /**
   * @param nodes node id to pid, for the nodes ready to work
   * @param progress called with the count of numbers done after each chunk
   */
  Scheduler(Vertx vertx, long from, long count, int chunkSize, int window, long chunkTimeoutMs,
      Map<String, Long> nodes, LongConsumer progress) {
    this(vertx, from, count, chunkSize, window, chunkTimeoutMs, nodes, progress, null);
  }

  /** @param port where the nodes write the squares (null: they answer with them) */
  Scheduler(Vertx vertx, long from, long count, int chunkSize, int window, long chunkTimeoutMs,
      Map<String, Long> nodes, LongConsumer progress, ResultPort port) {
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many numbers for one run: " + count);
    }
    this.vertx = vertx;
    this.from = from;
    this.chunkSize = chunkSize;
    this.window = Math.max(window, Math.min(MAX_WINDOW, WINDOW_NUMBERS / chunkSize));
    this.progress = progress;
    this.options = new DeliveryOptions().setSendTimeout(chunkTimeoutMs).addHeader(SquaresMessages.OP, NodeOp.CHUNK.name());
    this.results = new long[(int) count];
    int chunks = (int) ((count + chunkSize - 1) / chunkSize);
    this.done = new boolean[chunks];
    this.sent = new boolean[chunks];
    this.port = chunkSize >= PORT_MIN_CHUNK ? port : null;
    this.chunksLeft = chunks;
    this.chunksTotal = chunks;
    for (int i = 0; i < chunks; i++) {
      queue.add(i);
    }
    nodes.forEach((id, pid) -> active.put(id, new NodeState(id, pid)));
    all.addAll(active.values());
  }

  /**
   * Small chunks get a wider window: as many in flight per node as hold this many numbers (512 KB of squares), so a
   * map of small chunks is pipelined as Pool.map's task queue does, instead of waiting a round trip per couple of
   * chunks; large chunks keep the configured window (the memory in flight stays bounded).
   */
  static final int WINDOW_NUMBERS = 65_536;

  /**
   * But never more than this many chunks in flight per node: with chunks of one number the window above was 65,536
   * requests, sent in one pass of the event loop (it was blocked for 2-4 s) and queued unsent on the connection, and
   * a cancel or a lost node then failed every one of them at once (thousands of Vert.x errors in the log). A
   * thousand in flight keep a node as busy.
   */
  static final int MAX_WINDOW = 1_024;

  /**
   * The automatic chunk size: about four chunks per node, like Pool.map's, but never under {@link #MIN_AUTO_CHUNK}
   * numbers: a chunk costs a round trip (~0.2 ms here) while squaring a thousand numbers takes about a microsecond,
   * so small inputs go faster in one chunk (measured: 1..10 in 5 chunks 1.8 ms, in one chunk 0.35 ms).
   */
  static int autoChunk(long count, int nodes) {
    long fourPerNode = (count + 4L * nodes - 1) / (4L * nodes);
    return (int) Math.max(1, Math.min(1_000_000, Math.max(Math.min(count, MIN_AUTO_CHUNK), fourPerNode)));
  }

  static final int MIN_AUTO_CHUNK = 1_000;

  /**
   * Chunks of at least this many numbers (32 KB of squares) go by the result port. Smaller ones are answered on the
   * event bus as before: for them the copies do not matter, and waiting for two connections instead of one would
   * only add latency (1..10 is one chunk of 80 bytes).
   */
  static final int PORT_MIN_CHUNK = 4_096;

  Future<long[]> run() {
    startNanos = System.nanoTime();
    if (port != null) {
      int map = port.add(this);
      mapId = map;
      finished.future().onComplete(ar -> {
        port.remove(map); // frames still on their way are dropped
        awaited.values().forEach(a -> vertx.cancelTimer(a.timer()));
      });
    }
    if (chunksLeft == 0) {
      finished.tryComplete(results);
    }
    dispatch();
    return finished.future();
  }

  int retries() {
    return retries;
  }

  /**
   * The node that gets the chunk holding {@code number} must throw instead of answering (the run's failAt, Q6): the
   * map then fails as Pool.map raises, with the node's failure.
   */
  Scheduler failingAt(long number) {
    this.failAt = number;
    return this;
  }

  /** Where each node runs (its cluster address, by node id): a task's failure names it, as the record's nodes do. */
  Scheduler at(Map<String, String> nodeHosts) {
    this.hosts = nodeHosts;
    return this;
  }

  /** The tasks that threw on a node, with what the node said. */
  List<TaskFailure> failures() {
    return List.copyOf(failures);
  }

  /** When the map began (System.nanoTime()): 0 of its timeline. */
  long startNanos() {
    return startNanos;
  }

  /** At most this many spans per node in a timeline. */
  static final int MAX_SPANS = 32;

  /** What each node computed when, on the map's time axis (ms from its start), at most {@link #MAX_SPANS} spans each. */
  List<NodeTimeline> timeline() {
    List<NodeTimeline> timeline = new ArrayList<>();
    for (NodeState node : all) {
      List<Span> spans = node.all();
      while (spans.size() > MAX_SPANS) {
        spans = halved(spans);
      }
      timeline.add(new NodeTimeline(node.nodeId, node.pid, List.copyOf(spans), node.lostAtMs));
    }
    return timeline;
  }

  /** Chunks and numbers each node computed (lost nodes included), by node id. */
  Map<String, long[]> doneByNode() {
    Map<String, long[]> done = new LinkedHashMap<>();
    all.forEach(n -> done.put(n.nodeId, new long[] {n.chunks, n.numbers}));
    return done;
  }

  /** Each pair of neighbouring spans as one. */
  static List<Span> halved(List<Span> spans) {
    List<Span> half = new ArrayList<>();
    for (int i = 0; i < spans.size(); i += 2) {
      half.add(i + 1 < spans.size() ? spans.get(i).merge(spans.get(i + 1)) : spans.get(i));
    }
    return half;
  }

  private double msSinceStart(long nanos) {
    return Math.round((nanos - startNanos) / 10_000.0) / 100.0;
  }

  int chunksTotal() {
    return chunksTotal;
  }

  int chunksDone() {
    return chunksTotal - chunksLeft;
  }

  List<Lost> lost() {
    return List.copyOf(lost);
  }

  /** Stops handing out work and fails the run with {@code why} (an interrupt from outside). */
  void abort(String why) {
    finished.tryFail(why);
  }

  /** A node left the cluster (Hazelcast membership event): its chunks in flight are re-queued now, not at a timeout. */
  void nodeLeft(String nodeId) {
    drop(nodeId, "left the cluster");
  }

  /**
   * Fills every active node's window from the queue. Not re-entrant: a request can fail inside {@link #send} (a node
   * already gone: no handler), and the drop that follows calls back in here while the loop below is running; that
   * call only asks for another pass (re-entering used to throw out of the loop, into the event bus's reply code).
   */
  private void dispatch() {
    if (dispatching) {
      dispatchAgain = true;
      return;
    }
    dispatching = true;
    try {
      do {
        dispatchAgain = false;
        fill();
      } while (dispatchAgain);
    } finally {
      dispatching = false;
    }
  }

  private void fill() {
    if (finished.future().isComplete()) {
      return;
    }
    if (active.isEmpty()) {
      finished.tryFail("all nodes were lost (" + lost.size() + "): " + lost.stream()
          .map(l -> "pid " + l.pid() + " " + l.reason()).toList() + "; " + chunksLeft + " chunks not computed");
      return;
    }
    // a chunk to each node in turn, as long as windows have room: filling one node's window first gave it every
    // chunk of a small map (with --chunk 1, a window of 1,024 chunks took all ten of 1..10) and left the rest idle
    List<NodeState> nodes = List.copyOf(active.values());
    boolean gave = true;
    while (gave && !queue.isEmpty() && !finished.future().isComplete()) {
      gave = false;
      for (NodeState node : nodes) {
        if (active.containsKey(node.nodeId) && node.inFlight.size() < window && !queue.isEmpty()
            && !finished.future().isComplete()) {
          send(node, queue.poll());
          gave = true;
        }
      }
    }
  }

  private void send(NodeState node, int chunk) {
    long start = from + (long) chunk * chunkSize;
    int count = (int) Math.min(chunkSize, results.length - (long) chunk * chunkSize);
    node.inFlight.add(chunk);
    sentAt.put(chunk, System.nanoTime());
    sent[chunk] = true;
    DeliveryOptions request = failAt >= start && failAt < start + count
        ? new DeliveryOptions(options).addHeader(SquaresMessages.FAIL_AT, Long.toString(failAt)) : options;
    if (port != null) {
      request = new DeliveryOptions(request).addHeader(SquaresMessages.RESULTS_TO, port.address())
          .addHeader(SquaresMessages.RESULTS_TOKEN, port.token())
          .addHeader(SquaresMessages.RESULTS_MAP, Integer.toString(mapId));
    }
    vertx.eventBus().<Buffer>request(Addresses.squaresNode(node.nodeId), new Chunk(start, count).toBuffer(), request)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            received(node, chunk, count, ar.result());
          } else {
            failed(node, chunk, start, count, ar.cause());
          }
        });
  }

  private void received(NodeState node, int chunk, int count, Message<Buffer> reply) {
    if (finished.future().isComplete()) {
      node.inFlight.remove(chunk);
      return; // an answer after the map failed or was cancelled: no progress to report, nothing to send
    }
    if (!done[chunk] && reply.headers().contains(SquaresMessages.RESULTS_SENT)) {
      if (!landed.get(chunk) && !active.containsKey(node.nodeId)) {
        // a dropped node answering late: its chunk is re-queued already, and the node now holding it is the one to
        // wait for (one waiter per chunk, always an active node)
        node.inFlight.remove(chunk);
        return;
      }
      if (!landed.get(chunk)) { // the answer overtook its squares: wait for them, at most a chunk's timeout
        long timer = vertx.setTimer(options.getSendTimeout(), id -> {
          Awaited waiting = awaited.remove(chunk);
          if (waiting != null && !done[chunk]) {
            drop(waiting.node().nodeId, "its squares did not reach the result port within " + options.getSendTimeout()
                + " ms");
          }
        });
        Awaited before = awaited.put(chunk, new Awaited(node, timer));
        if (before != null) {
          vertx.cancelTimer(before.timer());
        }
        return; // still in the node's window
      }
    } else if (!done[chunk]) { // a late answer for a chunk re-queued and done elsewhere changes nothing
      Buffer squares = reply.body();
      if (squares == null || squares.length() != count * 8) {
        node.inFlight.remove(chunk);
        finished.tryFail("node " + node.nodeId + " answered " + (squares == null ? 0 : squares.length() / 8)
            + " squares for a chunk of " + count);
        return;
      }
      int offset = chunk * chunkSize;
      for (int i = 0; i < count; i++) {
        results[offset + i] = squares.getLong(i * 8);
      }
    }
    completed(node, chunk, count);
  }

  /** The result port: where the frame of the chunk starting at {@code start} goes (only a chunk sent out). */
  @Override
  public int slot(long start, int count) {
    long offset = start - from;
    if (offset < 0 || offset >= results.length || offset % chunkSize != 0) {
      return -1;
    }
    int chunk = (int) (offset / chunkSize);
    return sent[chunk] && count == Math.min(chunkSize, results.length - offset) ? (int) offset : -1;
  }

  @Override
  public long[] results() {
    return results;
  }

  /** The result port: every square of a chunk is in {@link #results}; done if its node has answered already. */
  @Override
  public void landed(long start) {
    int chunk = (int) ((start - from) / chunkSize);
    landed.set(chunk);
    Awaited waiting = awaited.remove(chunk);
    if (waiting != null && !finished.future().isComplete()) {
      vertx.cancelTimer(waiting.timer());
      completed(waiting.node(), chunk, (int) Math.min(chunkSize, results.length - (long) chunk * chunkSize));
    }
  }

  /** The chunk's squares are in {@link #results}: counted, and the node gets its next chunk. */
  private void completed(NodeState node, int chunk, int count) {
    node.inFlight.remove(chunk);
    if (!done[chunk]) {
      done[chunk] = true;
      Long sentNanos = sentAt.remove(chunk);
      node.done(new Span(from + (long) chunk * chunkSize, count, 1,
          msSinceStart(sentNanos == null ? startNanos : sentNanos), msSinceStart(System.nanoTime())));
      numbersDone += count;
      chunksLeft--; // before the progress, which reads it
      progress.accept(numbersDone);
      if (chunksLeft == 0) {
        finished.tryComplete(results);
        return;
      }
    }
    dispatch();
  }

  private void failed(NodeState node, int chunk, long start, int count, Throwable cause) {
    if (!active.containsKey(node.nodeId)) {
      return; // already dropped, its chunks already re-queued
    }
    if (cause instanceof RemoteFailure remote && remote.origin() != null) {
      // the task threw on the node: like Pool.map, the map fails with the worker's exception, kept with its story
      TaskFailure failure = new TaskFailure(start, count, node.nodeId, node.pid, remote.origin())
          .at(hosts.get(node.nodeId));
      failures.add(failure);
      finished.tryFail("a task failed on a node: " + failure.describe());
      return;
    }
    if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      finished.tryFail("node " + node.nodeId + " refused a chunk: " + re.getMessage()); // a bug, not a lost node
      return;
    }
    String reason = cause instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT
        ? "no answer within " + options.getSendTimeout() + " ms"
        : "unreachable (" + cause.getMessage() + ")";
    drop(node.nodeId, reason);
  }

  private void drop(String nodeId, String reason) {
    NodeState node = active.remove(nodeId);
    if (node == null) {
      return;
    }
    List<Integer> requeue = node.inFlight.stream().filter(c -> !done[c]).sorted().toList();
    requeue.forEach(c -> {
      Awaited waiting = awaited.get(c);
      if (waiting != null && waiting.node() == node) {
        awaited.remove(c);
        vertx.cancelTimer(waiting.timer());
      }
    });
    for (int i = requeue.size() - 1; i >= 0; i--) {
      queue.addFirst(requeue.get(i));
    }
    retries += requeue.size();
    node.lostAtMs = msSinceStart(System.nanoTime());
    lost.add(new Lost(nodeId, node.pid, reason, requeue.size(), (int) node.chunks, node.numbers));
    dispatch();
  }
}
