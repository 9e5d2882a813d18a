package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's connections to the coordinators' {@link ResultPort}s, one per "host:port", opened when a request first
 * names one and kept while it stays open. {@link #send} writes a chunk's squares as a frame when the connection is
 * up; until then (or if it cannot be opened) it says no and the node answers with the squares on the event bus, as
 * without a port. Runs on the node's event loop.
 */
final class ResultLinks {
  /** Links kept at most (a node of the app's cluster serves one sweep after another, each with a port of its own). */
  static final int MAX_LINKS = 8;
  /** After a failed connect, no new try to the same port for this long (the answers go by the event bus meanwhile). */
  static final long RETRY_AFTER_MS = 5_000;
  /** Numbers computed per pass into the scratch array before it is copied into the frame. */
  private static final int PASS = 8_192;

  private final Vertx vertx;
  private NetClient client;
  private final Map<String, Link> links = new LinkedHashMap<>();
  private final byte[] scratch = new byte[PASS * 8];

  private static final class Link {
    NetSocketInternal socket;
    long failedAt = -1;
    final Promise<Void> up = Promise.promise();
  }

  ResultLinks(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Writes the squares of {@code squares} as a frame of {@code map} to {@code target}: true if written, false if
   * that connection is not up (it is being opened, in the background).
   */
  boolean send(String target, String token, int map, SquaresCodec.Squares squares) {
    Link link = link(target, token);
    if (link == null || link.socket == null || link.socket.writeQueueFull()) {
      return false;
    }
    int count = squares.count();
    // unpooled: its memory goes back once written. A pool's arena kept what the frames had touched (up to 4 MB) in
    // a node whose whole budget is 100 MB of RSS
    ByteBuf frame = UnpooledByteBufAllocator.DEFAULT.directBuffer(SquaresMessages.RESULTS_FRAME_HEADER + 8 * count);
    frame.writeInt(map).writeLong(squares.from()).writeInt(count);
    for (int done = 0; done < count; done += PASS) {
      int n = Math.min(PASS, count - done);
      SquaresCodec.Squares.fill(scratch, 0, squares.from() + done, n);
      frame.writeBytes(scratch, 0, 8 * n);
    }
    link.socket.writeMessage(frame); // Netty releases it once written
    return true;
  }

  /** Opens the connection named by a request (a ping, a chunk) if it is not open yet; null if the names are bad. */
  private Link link(String target, String token) {
    Link link = links.get(target);
    if (link != null && (link.socket != null || link.failedAt < 0
        || System.nanoTime() - link.failedAt < RETRY_AFTER_MS * 1_000_000)) {
      return link;
    }
    int colon = target.lastIndexOf(':');
    if (colon < 1 || token.length() != SquaresMessages.RESULTS_TOKEN_BYTES) {
      return null;
    }
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (port < 1 || port > 65_535) {
      return null;
    }
    if (links.size() >= MAX_LINKS && link == null) { // the oldest goes
      String oldest = links.keySet().iterator().next();
      Link gone = links.remove(oldest);
      if (gone.socket != null) {
        gone.socket.close();
      }
    }
    Link opening = new Link();
    links.put(target, opening);
    if (client == null) {
      client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000));
    }
    client.connect(port, target.substring(0, colon)).onComplete(ar -> {
      if (links.get(target) != opening) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        opening.failedAt = System.nanoTime();
        opening.up.tryFail(ar.cause());
        return;
      }
      NetSocketInternal socket = (NetSocketInternal) ar.result();
      socket.closeHandler(v -> {
        links.remove(target, opening);
        opening.up.tryFail("the result port closed the connection");
      });
      socket.exceptionHandler(e -> socket.close()); // the port closed under a frame (its map ended): reconnect later
      // up once the port has taken the token (its one byte): a frame written before could be refused unread
      socket.handler(answer -> {
        if (opening.socket == null && answer.length() > 0 && answer.getByte(0) == SquaresMessages.RESULTS_ACCEPTED) {
          opening.socket = socket;
          opening.up.tryComplete();
        }
      });
      socket.write(Buffer.buffer(token));
    });
    return opening;
  }

  /** Opens the connection a request names (if not open yet), without sending anything; completes once it is up. */
  Future<Void> open(String target, String token) {
    Link link = link(target, token);
    return link == null ? Future.failedFuture("not a result port: " + target) : link.up.future();
  }
}
