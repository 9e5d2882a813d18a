package io.concurrencylab.squares;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.NodeMessages;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.Chunk;
import io.concurrencylab.bus.SquaresMessages.NodeOp;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;

/**
 * The work of one node (the lesson's pool process): on its own address {@code lab.squares.node.<nodeId>}, answers
 * pings, computes chunks of squares and reports what it did. A chunk of 10,000 squares takes microseconds, so it
 * runs on the event loop; the cost that matters here is the messaging, not the arithmetic.
 */
public final class SquaresNodeVerticle extends VerticleBase {
  private static final io.vertx.core.eventbus.DeliveryOptions SENT = new io.vertx.core.eventbus.DeliveryOptions()
      .addHeader(SquaresMessages.RESULTS_SENT, "1");
  private final String nodeId;
  private ResultLinks results;
  private final long pid = ProcessHandle.current().pid();
  private int chunks;
  private long numbers;
  private long busyNanos;
  private double startCpuMs = -1;
  private final String role;
  private final String host;
  private long reporting = -1;
  private long lastReportNanos;
  /** When this process started, on the System.nanoTime() scale. */
  private long startedNanos;
  private double lastReportCpuMs;

  public SquaresNodeVerticle(String nodeId) {
    this(nodeId, null, null);
  }

  /** @param role and {@code host}: when not null, the node reports itself ({@link Addresses#NODES_REPORT}) once a second */
  public SquaresNodeVerticle(String nodeId, String role, String host) {
    this.nodeId = nodeId;
    this.role = role;
    this.host = host;
  }

  @Override
  public Future<?> start() {
    SquaresCodec.register(vertx.eventBus());
    results = new ResultLinks(vertx);
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // a task's failure goes back with its story
    // completion(): started only once the address is known cluster-wide, so the coordinator never gets NO_HANDLERS
    return vertx.eventBus().<Object>consumer(Addresses.squaresNode(nodeId), this::handle).completion()
        .onSuccess(v -> {
          if (role != null) {
            long upNanos = ProcessHandle.current().info().startInstant()
                .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toNanos()).orElse(0L);
            startedNanos = System.nanoTime() - upNanos;
            lastReportNanos = startedNanos;
            lastReportCpuMs = 0; // the first report's CPU % is the average since the process started
            report();
            reporting = vertx.setPeriodic(NodeMessages.REPORT_EVERY_MS, id -> report());
          }
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(reporting);
    return Future.succeededFuture();
  }

  /**
   * This node's figures, read by itself so a node on another host reports alike. On the event loop: /proc is
   * answered by the kernel from memory, no disk behind it (the reads took 0.2-0.3 ms on a loaded 2-core machine,
   * once a second); the STATS reply reads it here too.
   */
  private void report() {
    if (io.concurrencylab.cluster.ParentWatch.halting()) {
      return;
    }
    long now = System.nanoTime();
    double cpu = cpuMs();
    double percent = cpu < 0 || now == lastReportNanos ? -1
        : Math.round(1000.0 * (cpu - lastReportCpuMs) / ((now - lastReportNanos) / 1e6)) / 10.0;
    lastReportNanos = now;
    lastReportCpuMs = cpu;
    long uptime = (now - startedNanos) / 1_000_000;
    vertx.eventBus().publish(Addresses.NODES_REPORT, new NodeMessages.Report(nodeId, pid, host, role, percent,
        Rss.megabytes(pid), Rss.peakMegabytes(pid), chunks, numbers, uptime).toJson());
  }

  private void handle(Message<Object> msg) {
    try {
      switch (NodeOp.valueOf(String.valueOf(msg.headers().get(SquaresMessages.OP)))) {
        case PING -> {
          if (startCpuMs < 0) { // the coordinator's first ping is the last step of this node's start
            startCpuMs = cpuMs();
          }
          msg.reply(nodeId);
        }
        case CHUNK -> {
          long start = System.nanoTime();
          Chunk chunk = Chunk.fromBuffer((Buffer) msg.body());
          String failAt = msg.headers().get(SquaresMessages.FAIL_AT);
          if (failAt != null) {
            failAt(chunk, Long.parseLong(failAt));
          }
          SquaresCodec.Squares squares = new SquaresCodec.Squares(chunk.from(), chunk.count());
          // the coordinator names its result port for large chunks only; the connection is opened at the first
          // (not at the ping: a node that only ever gets small chunks, a sweep of 1..10, opens none)
          String resultsTo = msg.headers().get(SquaresMessages.RESULTS_TO);
          String token = msg.headers().get(SquaresMessages.RESULTS_TOKEN);
          String map = msg.headers().get(SquaresMessages.RESULTS_MAP);
          if (resultsTo != null && token != null && map != null
              && results.send(resultsTo, token, Integer.parseInt(map), squares)) {
            msg.reply(null, SENT); // the squares went to the coordinator's result port, ahead of this answer
          } else {
            msg.reply(squares); // computed as the reply is written
          }
          busyNanos += System.nanoTime() - start;
          chunks++;
          numbers += chunk.count();
        }
        case STATS -> {
          if (role != null) {
            // asked at the end of a size, often before the next report: a fresh one first (same connection, so it
            // arrives first), or serve's table of nodes shows the chunks of a second ago (0 for a short size)
            report();
          }
          msg.reply(new NodeStats(nodeId, pid, chunks, numbers, busyNanos / 1e6, Rss.megabytes(pid),
              Rss.peakMegabytes(pid), startCpuMs).toJson());
        }
      }
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      Failures.reply(msg, LabException.badInput("bad request to a squares node: " + e.getMessage()));
    } catch (RuntimeException e) {
      Failures.reply(msg, e);
    }
  }

  /** The run asked this chunk to fail at {@code number}: thrown here, on the node's thread, as a bug would be. */
  private static void failAt(Chunk chunk, long number) {
    if (number >= chunk.from() && number < chunk.from() + chunk.count()) {
      throw new ForcedFailure(number);
    }
  }

  /** The CPU time this process has used so far (ms). */
  private static double cpuMs() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(-1.0);
  }
}
