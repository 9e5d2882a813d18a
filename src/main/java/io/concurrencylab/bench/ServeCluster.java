package io.concurrencylab.bench;

import io.concurrencylab.cluster.NodeProcesses;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lab serve} processes on a cluster of their own, for the list benchmark: started, killed, frozen and
 * stopped as a user would (they watch this process: should the benchmark die, they stop too). Quiet producer and
 * consumer, any free HTTP and bridge ports.
 */
final class ServeCluster implements AutoCloseable {
  private static final Pattern HTTP = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern BRIDGE = Pattern.compile("event-bus bridge on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern NODE = Pattern.compile("as node ([0-9a-f-]+)");

  private final String name = "bench-list-" + UUID.randomUUID().toString().substring(0, 8);
  private final int clusterPort;
  private final Path dir;
  private final List<Serve> serves = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One serve process: its ports and Vert.x node id. */
  record Serve(Process process, int httpPort, int bridgePort, String nodeId) {}

  ServeCluster(int clusterPort, Path dir) {
    this.clusterPort = clusterPort;
    this.dir = dir;
  }

  /** Starts one more serve and returns once it serves (its HTTP, bridge and cluster lines are out). */
  Serve start() throws IOException {
    Files.createDirectories(dir);
    int index = serves.size();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dhazelcast.logging.type=slf4j", "-Dlab.home=" + System.getProperty("lab.home", "."),
        "-jar", NodeProcesses.jar().toString(), "serve", "--parent-pid", Long.toString(ProcessHandle.current().pid()),
        "--set", "http.port=0", "--set", "bridge.port=0", "--set", "cluster.name=" + name,
        "--set", "cluster.port=" + clusterPort, "--set", "data.dir=" + dir.resolve("serve-" + index),
        "--set", "list.capacity=1000000", // the most a serve takes: no run of the list bench comes near it
        "--set", "list.producerMinMs=600000", "--set", "list.producerMaxMs=600000",
        "--set", "list.consumerMinMs=600000", "--set", "list.consumerMaxMs=600000"));
    Path log = dir.resolve("serve-" + index + ".log");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    serves.add(new Serve(process, 0, 0, null)); // owned from now on, whatever happens next
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    int httpPort = Integer.parseInt(await(out, HTTP, log).group(1));
    int bridgePort = Integer.parseInt(await(out, BRIDGE, log).group(1));
    String node = await(out, NODE, log).group(1);
    Serve serve = new Serve(process, httpPort, bridgePort, node);
    serves.set(index, serve);
    return serve;
  }

  private static Matcher await(BufferedReader out, Pattern pattern, Path log) throws IOException {
    for (String line; (line = out.readLine()) != null; ) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
    List<String> said = Files.exists(log) ? Files.readAllLines(log) : List.of();
    throw new IOException("a serve of the benchmark exited before it served: "
        + (said.isEmpty() ? "it printed nothing" : said.get(said.size() - 1)) + " (its log: " + log + ")");
  }

  List<Serve> alive() {
    return serves.stream().filter(s -> s.nodeId() != null && s.process().isAlive()).toList();
  }

  /** {@code /api/list/owner} as {@code via} sees it, once {@code test} holds (polled; at most {@code limit}). */
  JsonObject owner(Serve via, Predicate<JsonObject> test, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send(via, "GET", "/api/list/owner", null, null);
      if (r.statusCode() == 200) {
        last = new JsonObject(r.body());
        if (test.test(last)) {
          return last;
        }
      }
      Thread.onSpinWait();
    }
    throw new IllegalStateException("the owner never became as expected; last seen: " + last);
  }

  Serve byNode(String nodeId) {
    return serves.stream().filter(s -> nodeId.equals(s.nodeId())).findFirst().orElseThrow();
  }

  HttpResponse<String> send(Serve via, String method, String path, String body, String key) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + via.httpPort() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      r.header("Idempotency-Key", key);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void signal(Serve serve, String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(serve.process().pid())).start().waitFor();
  }

  /** Every serve started here: woken if frozen, SIGTERM, then SIGKILL after 15 s; waits for each. */
  @Override
  public void close() throws Exception {
    for (Serve serve : serves) {
      if (serve.process().isAlive()) {
        signal(serve, "CONT");
        serve.process().destroy();
      }
    }
    for (Serve serve : serves) {
      if (!serve.process().waitFor(15, TimeUnit.SECONDS)) {
        serve.process().destroyForcibly().waitFor();
      }
    }
  }
}
