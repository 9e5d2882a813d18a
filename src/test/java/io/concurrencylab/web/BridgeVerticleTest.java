package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.BridgeFrames;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.list.ListOwnerVerticle;
import io.concurrencylab.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The TCP bridge against hostile and careless clients: what passes (the contract's requests in, its events out),
 * what does not (forged events, internal addresses), and the limits (frame size, slow readers, trickles, idle
 * connections, requests in flight, connections). Plain sockets on this side: no client code is trusted here.
 */
@ExtendWith(VertxExtension.class)
class BridgeVerticleTest {
  private LogCapture log;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void capture() {
    log = new LogCapture();
  }

  @AfterEach
  void release() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    assertThat(log.warnings()).as("nothing a client sends is logged as a warning").isEmpty();
    log.close();
  }

  private static LabConfig config() {
    return LabConfig.defaults().with("bridge.port", 0);
  }

  private BridgeVerticle bridge(Vertx vertx, LabConfig config) {
    BridgeVerticle bridge = new BridgeVerticle(config);
    vertx.deployVerticle(bridge).await();
    return bridge;
  }

  private Socket connect(BridgeVerticle bridge) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), bridge.actualPort());
    socket.setSoTimeout(10_000);
    sockets.add(socket);
    return socket;
  }

  private static void write(Socket socket, JsonObject frame) throws IOException {
    socket.getOutputStream().write(BridgeFrames.encode(frame).getBytes());
  }

  private static JsonObject read(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new JsonObject(new String(json, StandardCharsets.UTF_8));
  }

  /** Reads until the bridge hangs up (EOF or a reset), returning the frames it sent before. */
  private static List<JsonObject> readUntilClosed(Socket socket) throws IOException {
    List<JsonObject> frames = new ArrayList<>();
    try {
      while (true) {
        frames.add(read(socket));
      }
    } catch (EOFException | SocketException closed) {
      return frames;
    }
  }

  private static JsonObject request(String address, Object body, String replyAddress) {
    return BridgeFrames.message(BridgeFrames.SEND, address, body, null, replyAddress);
  }

  @Test
  void requestsOnTheContractAreAnswered(Vertx vertx) throws Exception {
    vertx.deployVerticle(new ListOwnerVerticle(10)).await();
    Socket socket = connect(bridge(vertx, config()));
    write(socket, request(Addresses.LIST_ADD, 42, "r1"));
    JsonObject reply = read(socket);
    assertThat(reply.getString("type")).isEqualTo("message");
    assertThat(reply.getString("address")).isEqualTo("r1");
    assertThat(reply.getJsonObject("body")).isEqualTo(new JsonObject().put("added", 42).put("size", 1));

    write(socket, request(Addresses.LIST_ADD, "abc", "r2"));
    JsonObject failed = read(socket);
    assertThat(failed.getString("type")).isEqualTo("err");
    assertThat(failed.getInteger("failureCode")).isEqualTo(400);

    // an integer beyond a long is quoted as given, not rounded through a Double on its way to the owner
    java.math.BigInteger big = new java.math.BigInteger("99999999999999999999");
    write(socket, request(Addresses.LIST_ADD, big, null)); // no reply asked: none comes, nothing is added
    write(socket, request(Addresses.LIST_ADD, big, "r3"));
    JsonObject tooBig = read(socket);
    assertThat(tooBig.getString("address")).isEqualTo("r3");
    assertThat(tooBig.getInteger("failureCode")).isEqualTo(400);
    assertThat(tooBig.getString("message")).startsWith("integer out of range: 99999999999999999999 ");
    write(socket, request(Addresses.LIST_SNAPSHOT, null, "r4"));
    assertThat(read(socket).getJsonObject("body").getInteger("size")).as("nothing added").isEqualTo(1);
  }

  @Test
  void clientsCannotForgeTheAppsEventsNorReachInternalAddresses(Vertx vertx) throws Exception {
    BridgeVerticle bridge = bridge(vertx, config());
    List<Object> seen = new CopyOnWriteArrayList<>();
    for (String event : Addresses.PUBLIC_EVENTS) {
      vertx.eventBus().consumer(event, m -> seen.add(m.body())).completion().await();
    }
    Socket socket = connect(bridge);
    for (String event : Addresses.PUBLIC_EVENTS) {
      write(socket, BridgeFrames.message(BridgeFrames.PUBLISH, event, new JsonObject().put("op", "add"), null, null));
      write(socket, BridgeFrames.message(BridgeFrames.SEND, event, new JsonObject(), null, null));
      write(socket, request(event, null, "r"));
    }
    write(socket, request(Addresses.SQUARES_READY, null, "r"));
    write(socket, request(Addresses.squaresNode("x"), null, "r"));
    write(socket, request(Addresses.FACTORIAL_WORK, 5, "r"));
    write(socket, BridgeFrames.register(Addresses.LIST_ADD)); // a tail on a request address would steal requests
    int refusals = 3 * Addresses.PUBLIC_EVENTS.size() + 4;
    for (int i = 0; i < refusals; i++) {
      JsonObject refused = read(socket);
      assertThat(refused.getString("type")).isEqualTo("err");
      assertThat(refused.getString("message")).isEqualTo(BridgeFrames.ACCESS_DENIED);
      assertThat(refused.getString("detail")).matches("(send|publish|register) to \"lab\\.[a-z.]+\" is not allowed .*");
      assertThat(refused.getString("replyAddress")).isIn(null, "r"); // which request it was, when it was one
      assertThat(refused.containsKey("address")).as("not a failed request's frame").isFalse();
    }
    write(socket, BridgeFrames.ping()); // frames are handled in order: once the pong is here, all were handled
    assertThat(read(socket).getString("type")).isEqualTo("pong");
    // A forged message would have been queued to our consumers before this one, which is queued after the pong.
    vertx.eventBus().publish(Addresses.LIST_CHANGED, "real");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!seen.contains("real")) {
      assertThat(System.nanoTime()).as("the real event arrives").isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(seen).containsExactly("real");
  }

  /**
   * Headers only the app sets are dropped from a client's frame, or set over it by the serve: a made-up viaServe or
   * a past holdUntil made the owner drop a send in silence.
   */
  @Test
  void theAppsOwnHeadersCannotBeSetFromOutside(Vertx vertx) throws Exception {
    vertx.eventBus().<Object>consumer(Addresses.LIST_ADD, m -> {
      JsonObject got = new JsonObject();
      m.headers().forEach(h -> got.put(h.getKey(), h.getValue()));
      m.reply(got);
    }).completion().await();
    Socket socket = connect(bridge(vertx, config()));
    JsonObject headers = new JsonObject().put("other", "kept");
    io.concurrencylab.bus.ListMessages.INTERNAL_HEADERS.forEach(h -> headers.put(h, "1"));
    JsonObject otherCase = new JsonObject().put("other", "kept"); // the bus's headers ignore case: ViaServe is viaServe
    io.concurrencylab.bus.ListMessages.INTERNAL_HEADERS.forEach(h -> otherCase.put(h.toUpperCase(), "1"));
    for (JsonObject sent : List.of(headers, otherCase)) {
      write(socket, BridgeFrames.message(BridgeFrames.SEND, Addresses.LIST_ADD, 5, sent, "r"));
      assertInternalHeadersDropped(read(socket).getJsonObject("body"));
    }
  }

  private static void assertInternalHeadersDropped(JsonObject received) {
    JsonObject got = new JsonObject();
    received.forEach(e -> got.put(e.getKey().toLowerCase(), e.getValue()));
    assertThat(got.fieldNames()).doesNotContain("viaserve", "replyto", "corr");
    assertThat(got.getString("holduntil")).as("the serve's own hold, not the client's").isNotEqualTo("1");
    assertThat(got.getString("other")).isEqualTo("kept");
  }

  /** A list request whose own timeout is shorter than the hold: held that long, and the 503 names that bound. */
  @Test
  void aListRequestIsHeldForItsOwnTimeoutWhenShorterAndTheFailureSaysSo(Vertx vertx) throws Exception {
    Socket socket = connect(bridge(vertx, config())); // no owner at all
    write(socket, BridgeFrames.message(BridgeFrames.SEND, Addresses.LIST_ADD, 5,
        new JsonObject().put(BridgeFrames.TIMEOUT_HEADER, 300), "r"));
    JsonObject failed = read(socket);
    assertThat(failed.getInteger("failureCode")).isEqualTo(503);
    assertThat(failed.getString("message")).startsWith(
        "owner failing over: no list owner answered within 300 ms (the request's timeout); ");
  }

  @Test
  void tailsReceiveTheAppsEvents(Vertx vertx) throws Exception {
    Socket socket = connect(bridge(vertx, config()));
    write(socket, BridgeFrames.register(Addresses.LIST_CHANGED));
    write(socket, BridgeFrames.ping());
    assertThat(read(socket).getString("type")).isEqualTo("pong");
    vertx.eventBus().publish(Addresses.LIST_CHANGED, new JsonObject().put("seq", 1));
    JsonObject event = read(socket);
    assertThat(event.getString("address")).isEqualTo(Addresses.LIST_CHANGED);
    assertThat(event.getJsonObject("body")).isEqualTo(new JsonObject().put("seq", 1));
  }

  @Test
  void aLengthOverTheLimitIsRefusedAtOnceAndTheConnectionClosed(Vertx vertx) throws Exception {
    Socket socket = connect(bridge(vertx, config()));
    OutputStream out = socket.getOutputStream();
    out.write(new byte[] {0, 1, 0, 1}); // 65537 bytes announced; nothing more is sent
    List<JsonObject> frames = readUntilClosed(socket);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).getString("message")).isEqualTo(BridgeFrames.TOO_LARGE);
    assertThat(frames.get(0).getString("detail")).contains("65537").contains("bridge.maxFrameBytes");
  }

  @Test
  void anHttpRequestToTheBridgePortIsNotReadAsAGigabyteFrame(Vertx vertx) throws Exception {
    Socket socket = connect(bridge(vertx, config()));
    socket.getOutputStream().write("POST /api/list HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    List<JsonObject> frames = readUntilClosed(socket);
    assertThat(frames).singleElement().satisfies(f -> assertThat(f.getString("message")).isEqualTo(BridgeFrames.TOO_LARGE));
  }

  @Test
  void malformedFramesGetAnErrAndAClosedConnection(Vertx vertx) throws Exception {
    BridgeVerticle bridge = bridge(vertx, config());
    List<byte[]> bad = List.of("{\"type\":".getBytes(StandardCharsets.UTF_8), "[1,2]".getBytes(StandardCharsets.UTF_8),
        new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, // invalid UTF-8
        "{\"type\":\"send\",\"address\":\"lab.list.add\",\"body\":1,\"body\":2}".getBytes(StandardCharsets.UTF_8),
        "{\"type\":\"teleport\",\"address\":\"lab.list.add\"}".getBytes(StandardCharsets.UTF_8),
        "{\"type\":\"send\"}".getBytes(StandardCharsets.UTF_8),
        "{\"type\":\"send\",\"address\":\"lab.list.add\",\"headers\":{\"timeout\":\"soon\"}}".getBytes(StandardCharsets.UTF_8),
        "{\"type\":\"send\",\"address\":\"lab.list.add\",\"headers\":{\"timeout\":0.5}}".getBytes(StandardCharsets.UTF_8),
        "{\"type\":\"send\",\"address\":\"lab.list.add\",\"headers\":{\"timeout\":1.5}}".getBytes(StandardCharsets.UTF_8),
        "{}".getBytes(StandardCharsets.UTF_8));
    for (byte[] frame : bad) {
      Socket socket = connect(bridge);
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {0, 0, 0, (byte) frame.length});
      out.write(frame);
      List<JsonObject> frames;
      try {
        frames = readUntilClosed(socket);
      } catch (IOException e) {
        throw new AssertionError("no close after " + new String(frame, StandardCharsets.ISO_8859_1), e);
      }
      assertThat(frames).as(new String(frame, StandardCharsets.ISO_8859_1)).singleElement()
          .satisfies(f -> assertThat(f.getString("message")).isEqualTo(BridgeFrames.MALFORMED));
    }
  }

  @Test
  void aFrameTrickledInIsCutOff(Vertx vertx) throws Exception {
    Socket socket = connect(bridge(vertx, config().with("bridge.frameTimeoutMs", 300)));
    socket.getOutputStream().write(new byte[] {0, 0, 0, 20, '{'}); // and never the rest
    List<JsonObject> frames = readUntilClosed(socket);
    assertThat(frames).singleElement().satisfies(f -> assertThat(f.getString("message")).isEqualTo(BridgeFrames.TOO_SLOW));
  }

  @Test
  void anIdleConnectionIsClosedButATailWaitsForEvents(Vertx vertx) throws Exception {
    BridgeVerticle bridge = bridge(vertx, config().with("bridge.idleTimeoutMs", 300));
    Socket tail = connect(bridge);
    write(tail, BridgeFrames.register(Addresses.LIST_CHANGED));
    write(tail, BridgeFrames.ping());
    assertThat(read(tail).getString("type")).isEqualTo("pong");
    Socket idle = connect(bridge);
    write(idle, BridgeFrames.ping());
    assertThat(read(idle).getString("type")).isEqualTo("pong");

    assertThat(readUntilClosed(idle)).isEmpty(); // closed once idle for 300 ms
    vertx.eventBus().publish(Addresses.LIST_CHANGED, "still here");
    assertThat(read(tail).getString("body")).isEqualTo("still here");
  }

  /** A client with a small receive buffer that tails lab.list.changed (its registration done) and reads no more. */
  private Socket tailOfChanges(BridgeVerticle bridge, int receiveBuffer) throws IOException {
    Socket slow = new Socket();
    slow.setReceiveBufferSize(receiveBuffer);
    slow.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), bridge.actualPort()));
    slow.setSoTimeout(10_000);
    sockets.add(slow);
    write(slow, BridgeFrames.register(Addresses.LIST_CHANGED));
    write(slow, BridgeFrames.ping());
    assertThat(read(slow).getString("type")).isEqualTo("pong");
    return slow;
  }

  @Test
  void aTailThatStopsReadingIsDisconnectedOnceItsOutputPassesTheBound(Vertx vertx) throws Exception {
    BridgeVerticle bridge = bridge(vertx, config().with("bridge.maxPendingBytes", 65_536));
    Socket slow = tailOfChanges(bridge, 4096);

    String body = "x".repeat(10_000);
    // far more than the kernel's buffers and the bound together; the client reads nothing meanwhile
    for (int i = 0; i < 5_000; i++) {
      vertx.eventBus().publish(Addresses.LIST_CHANGED, body);
    }
    List<JsonObject> received = readUntilClosed(slow);
    assertThat(received.size()).as("cut off before all of it").isLessThan(5_000);
  }

  /**
   * The same with a trickle of small events, a few per turn of the event loop, as a busy list makes them. The
   * connection is gone while the client still reads nothing: its output is dropped, not waited on.
   */
  @Test
  void aTailThatStopsReadingATrickleOfEventsIsDisconnectedToo(Vertx vertx) throws Exception {
    BridgeVerticle bridge = bridge(vertx, config().with("bridge.maxPendingBytes", 16_384)
        .with("bridge.maxConnections", 1));
    Socket slow = tailOfChanges(bridge, 1024);

    JsonObject change = new JsonObject().put("op", "add").put("value", 123_456_789L).put("size", 1).put("seq", 1);
    java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(1);
    long timer = vertx.setPeriodic(1, id -> { // ~8 MB: more than the kernel's buffers and the bound together
      for (int i = 0; i < 20 && published.get() < 80_000; i++) {
        if (published.incrementAndGet() == 80_000) {
          all.countDown();
        }
        vertx.eventBus().publish(Addresses.LIST_CHANGED, change);
      }
    });
    try {
      assertThat(all.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // the client reads nothing meanwhile
      awaitFreeSlot(bridge); // its one connection is closed although it has not read
      List<JsonObject> received = readUntilClosed(slow); // what the kernel held, then the end (not a time-out)
      assertThat(received.size()).as("cut off before all of it").isLessThan(80_000);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  @Test
  void requestsInFlightPerConnectionAreBounded(Vertx vertx) throws Exception {
    vertx.eventBus().consumer(Addresses.SQUARES_RUNS, m -> { }).completion().await(); // never answers
    Socket socket = connect(bridge(vertx, config().with("bridge.maxRequestsInFlight", 2)));
    write(socket, request(Addresses.SQUARES_RUNS, null, "r1"));
    write(socket, request(Addresses.SQUARES_RUNS, null, "r2"));
    write(socket, request(Addresses.SQUARES_RUNS, null, "r3"));
    JsonObject refused = read(socket);
    assertThat(refused.getString("address")).isEqualTo("r3");
    assertThat(refused.getInteger("failureCode")).isEqualTo(503);
    assertThat(refused.getString("message")).contains("bridge.maxRequestsInFlight");
  }

  @Test
  void connectionsAreBounded(Vertx vertx) throws Exception {
    BridgeVerticle bridge = bridge(vertx, config().with("bridge.maxConnections", 2));
    Socket one = connect(bridge);
    Socket two = connect(bridge);
    for (Socket s : List.of(one, two)) {
      write(s, BridgeFrames.ping());
      assertThat(read(s).getString("type")).isEqualTo("pong");
    }
    List<JsonObject> third = readUntilClosed(connect(bridge));
    assertThat(third).singleElement()
        .satisfies(f -> assertThat(f.getString("message")).isEqualTo(BridgeFrames.TOO_MANY_CONNECTIONS));
    one.close();
    awaitFreeSlot(bridge); // once the bridge has seen the close
  }

  /** Connects until a connection is answered rather than refused as one too many, for 10 s at most. */
  private void awaitFreeSlot(BridgeVerticle bridge) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Socket again = connect(bridge);
      write(again, BridgeFrames.ping());
      try {
        if ("pong".equals(read(again).getString("type"))) {
          return;
        }
      } catch (IOException refusedStill) {
        // closed as one too many
      }
      assertThat(System.nanoTime()).as("a free slot within 10 s").isLessThan(deadline);
    }
  }

  @Test
  void withATokenTheFirstFrameMustPresentIt(Vertx vertx) throws Exception {
    io.concurrencylab.config.AccessToken token = io.concurrencylab.config.AccessToken.load(config(),
        java.util.Map.of(io.concurrencylab.config.AccessToken.ENV, "bridge-token-0123456789")).orElseThrow();
    BridgeVerticle bridge = new BridgeVerticle(config()).withAccessToken(token);
    vertx.deployVerticle(bridge).await();
    Socket none = connect(bridge);
    write(none, BridgeFrames.ping());
    assertThat(readUntilClosed(none)).singleElement()
        .satisfies(f -> assertThat(f.getString("message")).isEqualTo(BridgeFrames.UNAUTHORIZED));
    Socket wrong = connect(bridge);
    write(wrong, BridgeFrames.ping().put("headers", new JsonObject().put("token", "bridge-token-0123456780")));
    assertThat(readUntilClosed(wrong)).singleElement()
        .satisfies(f -> assertThat(f.getString("message")).isEqualTo(BridgeFrames.UNAUTHORIZED));
    java.util.List<io.vertx.core.MultiMap> headers = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer(Addresses.SQUARES_RUNS, m -> {
      headers.add(m.headers());
      m.reply("runs");
    }).completion().await();
    Socket right = connect(bridge);
    write(right, BridgeFrames.ping().put("headers", new JsonObject().put("token", "bridge-token-0123456789")));
    assertThat(read(right).getString("type")).isEqualTo("pong");
    write(right, BridgeFrames.message(BridgeFrames.SEND, Addresses.SQUARES_RUNS, null,
        new JsonObject().put("token", "bridge-token-0123456789"), "r"));
    assertThat(read(right).getString("body")).isEqualTo("runs");
    assertThat(headers).singleElement().satisfies(h -> assertThat(h.contains("token")).as("never passed on").isFalse());
  }

  @Test
  void portZeroListensOnSomeFreePortAndReportsIt(Vertx vertx) throws Exception {
    BridgeVerticle bridge = bridge(vertx, config());
    assertThat(bridge.actualPort()).isPositive();
  }

  @Test
  void aFailedBindFailsTheDeployment(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      BridgeVerticle bridge = new BridgeVerticle(config().with("bridge.port", taken.getLocalPort()));
      assertThatThrownBy(() -> vertx.deployVerticle(bridge).await()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("bridge.port " + taken.getLocalPort() + " on 127.0.0.1: ").hasMessageContaining("in use")
          .hasMessageContaining("--set bridge.port=N");
    }
  }
}
