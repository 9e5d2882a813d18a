package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.BridgeFrames;
import io.concurrencylab.testing.LabProcess;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak of a real {@code serve}: for {@link #SECONDS} seconds, clients over HTTP and over the bridge add
 * and remove, while others send bad input of every kind and two stop reading what they asked for. At the end,
 * every acknowledged add and remove is accounted for exactly once, the server's heap after a full GC is back near
 * where it was after warming up, and the server logged no warning or error (nothing a client did may). Results go
 * to {@code target/soak-report.txt}.
 */
class SoakIT {
  static final int SECONDS = Integer.getInteger("soak.seconds", 40);
  static final long HEAP_SLACK_BYTES = 24L << 20;
  private static final Pattern HTTP_LINE = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern BRIDGE_LINE = Pattern.compile("event-bus bridge on 127\\.0\\.0\\.1:(\\d+)");

  private int httpPort;
  private int bridgePort;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Counted down when the clients that send are done: the slow readers stop not-reading then. */
  private final CountDownLatch trafficDone = new CountDownLatch(1);
  /** Values whose add was acknowledged, and values a remove acknowledged taking. */
  private final ConcurrentLinkedQueue<Long> added = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> removed = new ConcurrentLinkedQueue<>();
  private final AtomicLong badRequests = new AtomicLong();
  private final AtomicLong listOps = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();

  @Test
  void mixedTrafficWithBadInputAndSlowReadersLosesNothingLeaksNothingAndLogsNothing() throws Exception {
    Path log = Path.of(LabProcess.jar()).resolveSibling("soak-serve.log");
    try (LabProcess serve = LabProcess.start("serve", "--set", "http.port=0", "--set", "bridge.port=0",
        "--set", "cluster.enabled=false", "--set", "list.capacity=1000000",
        // the producer and consumer wait 10 minutes: the list changes only when a client changes it
        "--set", "list.producerMinMs=600000", "--set", "list.producerMaxMs=600000",
        "--set", "list.consumerMinMs=600000", "--set", "list.consumerMaxMs=600000",
        "--set", "http.bodyTimeoutMs=500", "--set", "http.headerTimeoutMs=500", "--set", "bridge.frameTimeoutMs=500",
        "--set", "bridge.maxPendingBytes=16384",
        "--set", "data.dir=" + log.resolveSibling("soak-data"))) {
      httpPort = port(serve.awaitLine(HTTP_LINE, Duration.ofSeconds(60)));
      bridgePort = port(serve.awaitLine(BRIDGE_LINE, Duration.ofSeconds(60)));

      warmUp();
      long heapBefore = heapAfterGc(serve.pid());

      ExecutorService pool = Executors.newCachedThreadPool();
      long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
      List<Future<?>> clients = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long base = (i + 1) * 100_000_000L;
        clients.add(pool.submit(() -> httpListClient(base, end)));
      }
      for (int i = 0; i < 2; i++) {
        long base = (i + 4) * 100_000_000L;
        clients.add(pool.submit(() -> bridgeListClient(base, end)));
      }
      clients.add(pool.submit(() -> badHttpClient(end)));
      clients.add(pool.submit(() -> badBridgeClient(end)));
      Future<Boolean> slowTail = pool.submit(this::slowBridgeTail);
      Future<?> slowStream = pool.submit(this::slowEventStream);
      try {
        for (Future<?> client : clients) {
          client.get();
        }
      } finally {
        trafficDone.countDown();
      }
      boolean slowTailCutOff = slowTail.get();
      slowStream.get();
      pool.shutdown();

      // every acknowledged operation exactly once: what is left is what was added and not removed
      JsonObject snapshot = new JsonObject(get("/api/list").body());
      List<Long> left = new ArrayList<>();
      snapshot.getJsonArray("items").forEach(v -> left.add(((Number) v).longValue()));
      Set<Long> addedSet = new HashSet<>(added);
      assertThat(addedSet).as("each value added once").hasSize(added.size());
      Set<Long> removedSet = new HashSet<>(removed);
      assertThat(removedSet).as("no value removed twice").hasSize(removed.size());
      // by hash (AssertJ's containsAll compares each value with every element: minutes for 100,000s)
      assertThat(removedSet.stream().filter(v -> !addedSet.contains(v)).toList())
          .as("removed values that had not been added").isEmpty();
      Set<Long> expected = new HashSet<>(addedSet);
      expected.removeAll(removedSet);
      assertThat(new HashSet<>(left)).as("left in the list").isEqualTo(expected);
      assertThat(left).as("no duplicates in the list").hasSize(expected.size());
      assertThat(snapshot.getLong("added")).as("the owner's count of adds").isEqualTo(added.size() + 50);
      assertThat(snapshot.getLong("removed")).as("the owner's count of removes").isEqualTo(removed.size() + 50);

      long heapAfter = heapAfterGc(serve.pid());
      String report = String.format("soak %d s: %d acknowledged list operations (%d adds, %d removes, %d left), "
              + "%d bad requests and frames, %d list requests sent again after a broken connection, slow bridge tail cut "
              + "off: %s; heap after full GC: %.1f MB before, "
              + "%.1f MB after%n", SECONDS, listOps.get(), added.size(), removed.size(), left.size(),
          badRequests.get(), retried.get(), slowTailCutOff, heapBefore / 1e6, heapAfter / 1e6);
      Files.writeString(log.resolveSibling("soak-report.txt"), report);
      System.out.print(report);
      assertThat(slowTailCutOff).as("the bridge cut off the tail that stopped reading").isTrue();
      assertThat(heapAfter).as("heap back near where it started (%s)", report)
          .isLessThan(heapBefore + HEAP_SLACK_BYTES);
      List<String> warnings = serve.stderr().lines().filter(l -> l.matches("^\\S+ (WARN|ERROR) .*")).toList();
      assertThat(warnings).as("nothing a client did is logged as a warning or error").isEmpty();
      Files.writeString(log, serve.stderr());
    }
  }

  private static int port(Matcher line) {
    return Integer.parseInt(line.group(1));
  }

  /** Some of everything once, so the heap measured before is of a warm server. */
  private void warmUp() throws Exception {
    for (int i = 0; i < 50; i++) {
      post("/api/list", String.valueOf(900_000_000L + i));
      send("DELETE", "/api/list/head", null);
    }
    badHttpOnce(0);
    badBridgeOnce(0);
  }

  private void httpListClient(long base, long end) {
    long next = base;
    try {
      while (System.nanoTime() < end) {
        long value = next++;
        HttpResponse<String> add = once("POST", "/api/list", String.valueOf(value), "add-" + value);
        assertThat(add.statusCode()).as(add.body()).isEqualTo(200);
        added.add(value);
        HttpResponse<String> remove = once("DELETE", "/api/list/head", null, "remove-" + value);
        assertThat(remove.statusCode()).as(remove.body()).isEqualTo(200);
        Object taken = new JsonObject(remove.body()).getValue("removed");
        if (taken != null) {
          removed.add(((Number) taken).longValue());
        }
        listOps.addAndGet(2);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void bridgeListClient(long base, long end) {
    long next = base;
    try (Socket socket = bridge()) {
      int id = 0;
      while (System.nanoTime() < end) {
        long value = next++;
        write(socket, BridgeFrames.message(BridgeFrames.SEND, Addresses.LIST_ADD, value, null, "a" + id));
        JsonObject reply = read(socket);
        assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("message");
        added.add(value);
        write(socket, BridgeFrames.message(BridgeFrames.SEND, Addresses.LIST_REMOVE, null, null, "r" + id++));
        JsonObject taken = read(socket).getJsonObject("body");
        if (taken.getValue("removed") != null) {
          removed.add(taken.getLong("removed"));
        }
        listOps.addAndGet(2);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private void badHttpClient(long end) {
    int round = 0;
    while (System.nanoTime() < end) {
      badHttpOnce(round++);
    }
  }

  /** One of each kind of bad HTTP request; each must be a 4xx with a JSON body. */
  private void badHttpOnce(int round) {
    try {
      String nested = "[".repeat(900) + "]".repeat(900);
      List<String[]> bodies = List.of(new String[] {"/api/list", "a=" + "x".repeat(10_000)},
          new String[] {"/api/list", "1e400"}, new String[] {"/api/list", "{\"value\": " + nested + "}"},
          new String[] {"/api/list", "{\"value\": 1, \"value\": 2}"}, new String[] {"/api/list", "{\"value\": 1, \"x\": 1}"},
          new String[] {"/api/list", "\"" + "y".repeat(70_000) + "\""},
          new String[] {"/api/factorial/batch", "{\"n\": [1e400, \"x\", " + nested + "]}"},
          new String[] {"/api/squares/runs", "{\"sizes\": [4294967298]}"});
      String[] pick = bodies.get(round % bodies.size());
      HttpResponse<String> response = refused("POST", pick[0], pick[1]);
      if (!pick[0].endsWith("batch")) {
        expectJsonError(response);
      }
      expectJsonError(refused("GET", "/api/factorial/99999999999999999999", null));
      expectJsonError(refused("PUT", "/nope", "1"));
      expectJsonError(http.send(HttpRequest.newBuilder(uri("/api/factorial/100")).header("Sec-Fetch-Site", "cross-site")
          .build(), HttpResponse.BodyHandlers.ofString()));
      try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), httpPort)) { // another site's name: rebinding
        raw.setSoTimeout(10_000);
        raw.getOutputStream().write(("POST /api/list HTTP/1.1\r\nHost: evil.example:" + httpPort
            + "\r\nContent-Length: 1\r\nConnection: close\r\n\r\n5").getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 403");
      }
      try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), httpPort)) { // a body trickled, then nothing
        raw.setSoTimeout(10_000);
        raw.getOutputStream().write(("POST /api/list HTTP/1.1\r\nHost: 127.0.0.1:" + httpPort
            + "\r\nContent-Length: 10\r\n\r\n1").getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 408");
      }
      badRequests.addAndGet(6);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void badBridgeClient(long end) {
    int round = 0;
    while (System.nanoTime() < end) {
      badBridgeOnce(round++);
    }
  }

  /** A bad frame on a new connection; the bridge must answer with an err frame and hang up. */
  private void badBridgeOnce(int round) {
    List<byte[]> bad = List.of(new byte[] {0x7f, 0, 0, 0},
        "POST / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        frame("{\"type\":\"send\",\"address\":"), frame("[1]"),
        frame("{\"type\":\"publish\",\"address\":\"lab.list.changed\",\"body\":{\"op\":\"add\"}}"),
        frame("{\"type\":\"send\",\"address\":\"lab.squares.ready\",\"replyAddress\":\"x\"}"));
    byte[] bytes = bad.get(round % bad.size());
    try (Socket socket = bridge()) {
      socket.getOutputStream().write(bytes);
      JsonObject answer = read(socket);
      assertThat(answer.getString("type")).isEqualTo("err");
      if (!answer.getString("message").equals(BridgeFrames.ACCESS_DENIED)) {
        assertThat(readUntilClosed(socket)).isEmpty();
      }
      badRequests.incrementAndGet();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Tails the list's events and reads nothing until the end; true if the bridge had cut it off by then. */
  private boolean slowBridgeTail() throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(1024);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), bridgePort));
    socket.setSoTimeout(10_000);
    try (socket) {
      write(socket, BridgeFrames.register(Addresses.LIST_CHANGED));
      trafficDone.await(); // reading nothing meanwhile is the point
      try {
        readUntilClosed(socket);
        return true;
      } catch (java.net.SocketTimeoutException stillOpen) {
        return false;
      }
    }
  }

  /** An event stream that is opened and never read. */
  private void slowEventStream() {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(1024);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort));
      socket.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + httpPort + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      trafficDone.await();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A list operation as a careful client sends it: with an Idempotency-Key, sent again with the same key when the
   * connection failed before an answer (a keep-alive connection the server closed just as it was reused: the client
   * cannot know whether the operation happened). The owner answers a repeat from its memory of the key: exactly once.
   */
  private HttpResponse<String> once(String method, String path, String body, String key) throws Exception {
    for (int attempt = 1; ; attempt++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
          .header("Idempotency-Key", key).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body));
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (attempt == 3) {
          throw e;
        }
        retried.incrementAndGet();
      }
    }
  }

  /**
   * A bad request, sent again when its connection broke before an answer (a keep-alive connection the server had
   * just closed, e.g. after refusing an oversized body): a refused request changed nothing, so sending it again is
   * safe, and the answer is still checked.
   */
  private HttpResponse<String> refused(String method, String path, String body) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return send(method, path, body);
      } catch (IOException e) {
        if (attempt == 3) {
          throw e;
        }
        retried.incrementAndGet();
      }
    }
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return send("POST", path, body);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  private static void expectJsonError(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
    assertThat(new JsonObject(response.body()).getInteger("status")).isEqualTo(response.statusCode());
  }

  private Socket bridge() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), bridgePort);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static byte[] frame(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    byte[] framed = new byte[4 + bytes.length];
    framed[3] = (byte) bytes.length;
    System.arraycopy(bytes, 0, framed, 4, bytes.length);
    return framed;
  }

  private static void write(Socket socket, JsonObject frame) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(BridgeFrames.encode(frame).getBytes());
  }

  private static JsonObject read(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new JsonObject(new String(json, StandardCharsets.UTF_8));
  }

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

  /** The server's heap in use right after a full GC, through jcmd (the same JDK runs both). */
  private static long heapAfterGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    assertThat(used.find()).as(info).isTrue();
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String jcmd(long pid, String command) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        String.valueOf(pid), command).redirectErrorStream(true).start();
    try (InputStream in = p.getInputStream()) {
      String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isZero();
      return out;
    }
  }
}
