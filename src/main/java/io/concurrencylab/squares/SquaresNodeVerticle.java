package io.concurrencylab.squares;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages.Chunk;
import io.concurrencylab.bus.SquaresMessages.NodeOp;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages;
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
  private final String nodeId;
  private int chunks;
  private long numbers;
  private long busyNanos;

  public SquaresNodeVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    // completion(): started only once the address is known cluster-wide, so the coordinator never gets NO_HANDLERS
    return vertx.eventBus().<Object>consumer(Addresses.squaresNode(nodeId), this::handle).completion();
  }

  private void handle(Message<Object> msg) {
    try {
      switch (NodeOp.valueOf(String.valueOf(msg.headers().get(SquaresMessages.OP)))) {
        case PING -> msg.reply(nodeId);
        case CHUNK -> {
          long start = System.nanoTime();
          Chunk chunk = Chunk.fromBuffer((Buffer) msg.body());
          Buffer squares = chunk.squares();
          busyNanos += System.nanoTime() - start;
          chunks++;
          numbers += chunk.count();
          msg.reply(squares);
        }
        case STATS -> msg.reply(new NodeStats(nodeId, ProcessHandle.current().pid(), chunks, numbers, busyNanos / 1e6,
            Rss.megabytes()).toJson());
      }
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      Failures.reply(msg, LabException.badInput("bad request to a squares node: " + e.getMessage()));
    } catch (RuntimeException e) {
      Failures.reply(msg, e);
    }
  }
}
