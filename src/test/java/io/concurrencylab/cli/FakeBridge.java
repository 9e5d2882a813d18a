package io.concurrencylab.cli;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scripted peer for one connection: the test says which frames it expects and what it answers, so the client's
 * side of the protocol can be checked without an app. Whatever the script asserts fails the test in {@link #close()}.
 */
final class FakeBridge implements AutoCloseable {
  interface Script {
    void play(Peer peer) throws Exception;
  }

  /** The accepted connection, as the script sees it. */
  static final class Peer {
    private final DataInputStream in;
    private final OutputStream out;

    Peer(Socket socket) throws IOException {
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      this.out = socket.getOutputStream();
    }

    JsonObject next() throws IOException {
      return FrameCodec.read(in);
    }

    /** Writes the frames in one go, so they are all sent even if the client hangs up after reading some. */
    void answer(JsonObject... frames) throws IOException {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (JsonObject frame : frames) {
        all.write(FrameCodec.encode(frame));
      }
      out.write(all.toByteArray());
      out.flush();
    }

    /** Reads a ping and answers the pong, as the bridge does (the client's handshake, or its confirmation). */
    void pong() throws IOException {
      JsonObject ping = next();
      if (!"ping".equals(ping.getString("type"))) {
        throw new AssertionError("expected a ping, got " + ping.encode());
      }
      answer(new JsonObject().put("type", "pong"));
    }
  }

  private final ServerSocket server;
  private final CompletableFuture<Void> played;

  FakeBridge(Script script) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    played = CompletableFuture.runAsync(() -> {
      try (Socket socket = server.accept()) {
        script.play(new Peer(socket));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  String host() {
    return server.getInetAddress().getHostAddress();
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    try {
      played.get(10, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
  }
}
