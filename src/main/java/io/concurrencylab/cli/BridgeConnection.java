package io.concurrencylab.cli;

import io.concurrencylab.bus.BridgeFrames;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One TCP connection to the bridge, frame in, frame out, with I/O failures already turned into {@link EbFailure}s.
 * Reads wait until a deadline ({@link System#nanoTime()} based), so no caller can hang on a silent peer.
 */
final class BridgeConnection implements AutoCloseable {
  /** A deadline that never passes. */
  static final long NO_DEADLINE = Long.MAX_VALUE;
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  /** How long a fresh connection may take to answer a ping before we decide it is not the bridge. */
  private static final long HANDSHAKE_MS = 3_000;

  private final String host;
  private final int port;
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  /** The largest frame the bridge takes (its bridge.maxFrameBytes): a larger one is refused here, not sent. */
  private int maxFrameBytes = FrameCodec.MAX_FRAME_BYTES;

  private BridgeConnection(String host, int port, Socket socket) throws IOException {
    this.host = host;
    this.port = port;
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  /**
   * Connects, then checks that the peer answers a ping with a pong: a wrong port (say, the HTTP one, which waits
   * for more bytes or hangs up) fails at once as "not the bridge" instead of as a request timeout later.
   */
  static BridgeConnection open(String host, int port) throws EbFailure {
    return open(host, port, null);
  }

  /** @param token the access token serve asks for (null: none): it rides on the first frame, the handshake ping */
  static BridgeConnection open(String host, int port, String token) throws EbFailure {
    Socket socket = new Socket();
    BridgeConnection connection;
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      connection = new BridgeConnection(host, port, socket);
    } catch (IOException e) {
      closeQuietly(socket);
      throw EbFailure.unreachable(host, port, e);
    }
    String problem;
    try {
      JsonObject ping = BridgeFrames.ping();
      if (token != null) {
        ping.put(BridgeFrames.HEADERS, new JsonObject().put("token", token));
      }
      FrameCodec.write(connection.out, ping);
      JsonObject answer = connection.next(deadlineIn(HANDSHAKE_MS));
      if (answer != null && BridgeFrames.PONG.equals(BridgeFrames.type(answer))) {
        return connection;
      }
      if (answer != null && BridgeFrames.UNAUTHORIZED.equals(answer.getString(BridgeFrames.MESSAGE_TEXT))) {
        connection.close();
        throw EbFailure.unauthorized(host, port, token != null);
      }
      if (answer != null && BridgeFrames.TOO_MANY_CONNECTIONS.equals(answer.getString(BridgeFrames.MESSAGE_TEXT))) {
        connection.close();
        throw EbFailure.full(host, port);
      }
      problem = answer == null ? "no answer to a ping in " + HANDSHAKE_MS + " ms"
          : "it answered a ping with " + answer.encode();
    } catch (IOException e) {
      problem = e instanceof EOFException ? "it hung up on a ping" : e.getMessage();
    }
    connection.close();
    throw EbFailure.notABridge(host, port, problem);
  }

  static long deadlineIn(long ms) {
    return System.nanoTime() + ms * 1_000_000;
  }

  /** Frames over {@code max} bytes are refused before they are sent (the bridge would hang up on them). */
  BridgeConnection limitFrames(int max) {
    maxFrameBytes = max;
    return this;
  }

  void write(JsonObject frame) throws EbFailure {
    byte[] bytes = FrameCodec.encode(frame);
    if (bytes.length - 4 > maxFrameBytes) {
      throw EbFailure.usage("the message is " + (bytes.length - 4) + " bytes as a bridge frame, over bridge.maxFrameBytes"
          + " (" + maxFrameBytes + "), the largest the bridge takes: nothing was sent");
    }
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw EbFailure.lost(host, port, e);
    }
  }

  /**
   * The next frame, or null once {@code deadline} has passed. After a null the connection is done with: a frame may
   * have been cut in the middle.
   */
  JsonObject read(long deadline) throws EbFailure {
    try {
      return next(deadline);
    } catch (FrameCodec.FrameException e) {
      throw EbFailure.notABridge(host, port, e.getMessage());
    } catch (IOException e) {
      throw EbFailure.lost(host, port, e);
    }
  }

  private JsonObject next(long deadline) throws IOException {
    if (deadline == NO_DEADLINE) {
      socket.setSoTimeout(0);
    } else {
      long leftMs = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMs <= 0) {
        return null;
      }
      socket.setSoTimeout((int) Math.min(leftMs, Integer.MAX_VALUE));
    }
    try {
      return FrameCodec.read(in);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to tell the user: the command's outcome is already decided
    }
  }
}
