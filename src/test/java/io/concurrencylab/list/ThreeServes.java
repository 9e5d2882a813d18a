package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.testing.LabProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Real {@code lab serve} processes on one cluster of their own (a fresh name and port range), the producer and
 * consumer quiet so the list changes only when a test changes it. {@link #close()} stops them all (a frozen one is
 * woken first), whatever happened.
 */
final class ThreeServes implements AutoCloseable {
  static final Duration START = Duration.ofSeconds(90);
  private static final Pattern HTTP = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern BRIDGE = Pattern.compile("event-bus bridge on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern NODE = Pattern.compile("as node ([0-9a-f-]+)");

  final List<Serve> serves = new ArrayList<>();
  /** The cluster's name and first port, for commands that join it ({@code lab cluster status}). */
  String name;
  int clusterPort;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One serve: its process, HTTP and bridge ports, and Vert.x node id. */
  record Serve(LabProcess process, int httpPort, int bridgePort, String nodeId) {}

  static ThreeServes start(int count, int clusterPort, Path data, String... extra) throws Exception {
    ThreeServes cluster = new ThreeServes();
    String name = "it-list-" + UUID.randomUUID().toString().substring(0, 8);
    cluster.name = name;
    cluster.clusterPort = clusterPort;
    try {
      for (int i = 0; i < count; i++) {
        List<String> args = new ArrayList<>(List.of("serve", "--set", "http.port=0", "--set", "bridge.port=0",
            "--set", "cluster.name=" + name, "--set", "cluster.port=" + clusterPort,
            "--set", "list.producerMinMs=600000", "--set", "list.producerMaxMs=600000",
            "--set", "list.consumerMinMs=600000", "--set", "list.consumerMaxMs=600000",
            "--set", "data.dir=" + data.resolve("serve-" + i)));
        args.addAll(List.of(extra));
        LabProcess process = LabProcess.start(args.toArray(String[]::new));
        cluster.serves.add(null); // a slot, so close() finds the process even if its start fails below
        cluster.serves.set(i, new Serve(process, 0, 0, null));
        int port = Integer.parseInt(process.awaitLine(HTTP, START).group(1));
        int bridge = Integer.parseInt(process.awaitLine(BRIDGE, START).group(1));
        String node = process.awaitLine(NODE, START).group(1);
        cluster.serves.set(i, new Serve(process, port, bridge, node));
      }
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  HttpResponse<String> send(Serve serve, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.httpPort() + path))
        // a request to a frozen serve waits out its freeze (~6 s) and then its hold (10 s)
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonObject json(Serve serve, String path) throws Exception {
    HttpResponse<String> response = send(serve, "GET", path, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  /** Polls {@code /api/list/owner} on {@code serve} until {@code test} holds (or fails after {@code limit}). */
  JsonObject awaitOwner(Serve serve, Predicate<JsonObject> test, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = send(serve, "GET", "/api/list/owner", null);
      if (response.statusCode() == 200) {
        last = new JsonObject(response.body());
        if (test.test(last)) {
          return last;
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("owner never as expected on " + serve.nodeId() + "; last: " + last);
  }

  Serve byNode(String nodeId) {
    return serves.stream().filter(s -> nodeId.equals(s.nodeId())).findFirst().orElseThrow();
  }

  List<Serve> others(Serve serve) {
    return serves.stream().filter(s -> s != serve).toList();
  }

  @Override
  public void close() throws Exception {
    for (Serve serve : serves) {
      if (serve != null) {
        new ProcessBuilder("kill", "-CONT", String.valueOf(serve.process().pid())).start().waitFor();
        serve.process().close();
      }
    }
  }
}
