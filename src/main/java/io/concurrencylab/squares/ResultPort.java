package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Gathering results: where the nodes' squares land. A TCP port of the coordinator's, beside the event bus, that
 * each node of a pool writes its chunks' squares to; they are read from Netty's buffer straight into the map's
 * array. The event bus still carries every request and its answer, so failures, timeouts and a node's loss work as
 * before: only the bytes take this way. Why: through the clustered event bus a 500 KB answer is copied four times
 * on the coordinator's one event loop (into a heap buffer, the record parser's growing buffer, the record, the
 * array), and each copy is garbage; here it is copied once. The wire is described at
 * {@link SquaresMessages#RESULTS_TO}.
 *
 * <p>Every boundary is checked: a connection must open with the pool's token within {@link #HELLO_TIMEOUT_MS}, a
 * frame must be one the map in progress sent out (its start and its count), and at most {@link #MAX_CONNECTIONS} are
 * open; otherwise the connection is closed and what it sent is not counted. Frames of a map that is over (answers
 * that come late) are read and dropped. Runs on the event loop it was opened on, as the scheduler does.
 */
final class ResultPort {
  /** A map in progress, the one place frames are written to. */
  interface Sink {
    /** Where in {@link #results()} the squares of from..from+count-1 go; -1 when this map sent out no such chunk. */
    int slot(long from, int count);

    long[] results();

    /** Every square of the chunk starting at {@code from} has been written. */
    void landed(long from);
  }

  static final int MAX_CONNECTIONS = 64;
  /** Written to a connection once its token is right: only then does the node write frames (else they could be lost). */
  static final Buffer ACCEPTED = Buffer.buffer(new byte[] {SquaresMessages.RESULTS_ACCEPTED});
  static final long HELLO_TIMEOUT_MS = 10_000;
  /** A frame's count above this is not a chunk of ours (a run has at most squares.maxNumbers, 10 M by default). */
  static final int MAX_COUNT = Integer.MAX_VALUE / 8 - SquaresMessages.RESULTS_FRAME_HEADER;

  private final Vertx vertx;
  private final Context context;
  private final String host;
  private final byte[] token;
  private final Map<Integer, Sink> sinks = new HashMap<>();
  private final Set<Inbound> open = new HashSet<>();
  private NetServer server;
  private int nextMap;
  private long framesLanded;

  private ResultPort(Vertx vertx, String host) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.host = host;
    byte[] random = new byte[SquaresMessages.RESULTS_TOKEN_BYTES / 2];
    new SecureRandom().nextBytes(random);
    this.token = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
  }

  /** Listens on {@code host} (the coordinator's cluster address, so nodes on other hosts reach it), a free port. */
  static Future<ResultPort> open(Vertx vertx, String host) {
    ResultPort port = new ResultPort(vertx, host);
    port.server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(0).setTcpNoDelay(true))
        .connectHandler(port::connected);
    return port.server.listen().map(s -> port);
  }

  /** "host:port", for the {@link SquaresMessages#RESULTS_TO} header. */
  String address() {
    return host + ":" + server.actualPort();
  }

  String token() {
    return new String(token, StandardCharsets.US_ASCII);
  }

  /** Frames for the returned map id go to {@code sink} until {@link #remove}. */
  int add(Sink sink) {
    int map = nextMap++;
    sinks.put(map, sink);
    return map;
  }

  void remove(int map) {
    sinks.remove(map);
  }

  /** Stops listening and closes every node's connection. */
  Future<Void> close() {
    sinks.clear();
    return server.close();
  }

  private void connected(NetSocket socket) {
    Inbound in = reader(socket::close, () -> socket.write(ACCEPTED));
    // the raw buffers, not Vert.x's copies of them; each is released here once read
    ((NetSocketInternal) socket).messageHandler(msg -> here(() -> {
      try {
        if (msg instanceof ByteBuf buf) {
          in.read(buf);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }));
    socket.closeHandler(v -> here(() -> {
      open.remove(in);
      vertx.cancelTimer(in.helloTimer); // else a client connecting in a loop would pile up timers holding sockets
    }));
    socket.exceptionHandler(e -> socket.close()); // a node killed mid-frame resets it: not an error of the app's
    here(() -> {
      if (open.size() >= MAX_CONNECTIONS) {
        in.refuse();
        return;
      }
      open.add(in);
      in.helloTimer = vertx.setTimer(HELLO_TIMEOUT_MS, id -> {
        if (in.state == State.HELLO) {
          in.refuse();
        }
      });
    });
  }

  /** On the port's event loop, where the maps are (a connection's own context may be another). */
  private void here(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private enum State { HELLO, HEADER, DATA, SKIP }

  /**
   * A connection's reader, which calls {@code accept} once the token is right and {@code close} when it refuses what
   * it reads (tests feed it bytes directly).
   */
  Inbound reader(Runnable close, Runnable accept) {
    return new Inbound(close, accept);
  }

  /** Frames read whole into a map so far (tests, and to tell the data path is in use). */
  long framesLanded() {
    return framesLanded;
  }

  /** One node's connection: where in which frame it is. */
  final class Inbound {
    final Runnable close;
    final Runnable accept;
    final byte[] head = new byte[Math.max(SquaresMessages.RESULTS_TOKEN_BYTES, SquaresMessages.RESULTS_FRAME_HEADER)];
    State state = State.HELLO;
    int headAt;
    long helloTimer = -1;
    boolean refused;
    // the frame being read
    int map;
    Sink sink;
    long from;
    int at;
    long longsLeft;
    long skipLeft;
    /** A square split between two reads: its first bytes. */
    long carry;
    int carryBytes;

    Inbound(Runnable close, Runnable accept) {
      this.close = close;
      this.accept = accept;
    }

    /** Reads what {@code buf} holds (does not release it). */
    void read(ByteBuf buf) {
      while (buf.isReadable() && !refused) {
        switch (state) {
          case HELLO -> {
            if (fill(buf, SquaresMessages.RESULTS_TOKEN_BYTES)) {
              byte[] given = java.util.Arrays.copyOf(head, SquaresMessages.RESULTS_TOKEN_BYTES);
              if (!MessageDigest.isEqual(given, token)) {
                refuse();
                return;
              }
              vertx.cancelTimer(helloTimer);
              state = State.HEADER;
              accept.run();
            }
          }
          case HEADER -> {
            if (fill(buf, SquaresMessages.RESULTS_FRAME_HEADER)) {
              frame();
            }
          }
          case SKIP -> {
            int n = (int) Math.min(buf.readableBytes(), skipLeft);
            buf.skipBytes(n);
            skipLeft -= n;
            if (skipLeft == 0) {
              state = State.HEADER;
            }
          }
          case DATA -> data(buf);
        }
      }
    }

    /** Reads into {@code head} until it holds {@code length} bytes; true then (and ready for the next). */
    private boolean fill(ByteBuf buf, int length) {
      int n = Math.min(buf.readableBytes(), length - headAt);
      buf.readBytes(head, headAt, n);
      headAt += n;
      if (headAt < length) {
        return false;
      }
      headAt = 0;
      return true;
    }

    private void frame() {
      ByteBuf header = io.netty.buffer.Unpooled.wrappedBuffer(head, 0, SquaresMessages.RESULTS_FRAME_HEADER);
      map = header.readInt();
      from = header.readLong();
      int count = header.readInt();
      if (count < 0 || count > MAX_COUNT) {
        refuse();
        return;
      }
      sink = sinks.get(map);
      if (sink == null) { // a map that is over: read on, keep nothing
        skipLeft = 8L * count;
        state = skipLeft == 0 ? State.HEADER : State.SKIP;
        return;
      }
      at = sink.slot(from, count);
      if (at < 0) {
        refuse();
        return;
      }
      longsLeft = count;
      carryBytes = 0;
      state = State.DATA;
      if (count == 0) {
        done();
      }
    }

    private void data(ByteBuf buf) {
      if (sinks.get(map) != sink) { // the map ended mid-frame: the rest is dropped
        skipLeft = 8 * longsLeft - carryBytes;
        state = State.SKIP;
        return;
      }
      long[] results = sink.results();
      while (carryBytes > 0 && buf.isReadable()) { // the rest of a split square
        carry = carry << 8 | (buf.readByte() & 0xff);
        if (++carryBytes == 8) {
          results[at++] = carry;
          longsLeft--;
          carryBytes = 0;
          carry = 0;
        }
      }
      int whole = (int) Math.min(buf.readableBytes() / 8, longsLeft);
      if (whole > 0) { // one bulk copy, byte order swapped by the JDK
        buf.nioBuffer(buf.readerIndex(), whole * 8).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(results, at, whole);
        buf.skipBytes(whole * 8);
        at += whole;
        longsLeft -= whole;
      }
      while (longsLeft > 0 && buf.isReadable()) { // the first bytes of a square split between reads
        carry = carry << 8 | (buf.readByte() & 0xff);
        carryBytes++;
      }
      if (longsLeft == 0) {
        done();
      }
    }

    private void done() {
      state = State.HEADER;
      framesLanded++;
      sink.landed(from);
    }

    /** Not one of ours, or not speaking the protocol: closed at once. */
    void refuse() {
      refused = true;
      vertx.cancelTimer(helloTimer);
      close.run();
    }
  }
}
