package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.testing.LabProcess;
import io.concurrencylab.testing.Processes;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code lab serve} processes on one cluster of their own: one sweep at a time across all of them (a start on
 * any serve while one runs anywhere is a 409 naming it and where it runs), and one history that every serve shows,
 * live, whether or not they share a data folder, without a run written twice to a shared file. A serve killed while
 * its sweep runs leaves no claim behind.
 */
class SweepAcrossServesIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration RUN = Duration.ofSeconds(120);
  private static final Pattern HTTP_PORT = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern RUNNER = Pattern.compile("a squares run is going \\((\\S+), on the serve with pid (\\d+) at ");
  /** Ports of its own: the cluster on 6761-6770, the sweeps' clusters from 6781. */
  private static final String[] CLUSTER = {"--set", "cluster.port=6761", "--set", "cluster.portCount=10",
      "--set", "squares.port=6781", "--set", "http.port=0", "--set", "bridge.port=0",
      // the list's producer and consumer stay quiet: this test is about sweeps
      "--set", "list.producerMinMs=600000", "--set", "list.producerMaxMs=600000",
      "--set", "list.consumerMinMs=600000", "--set", "list.consumerMaxMs=600000"};
  private static final String ONE_NODE = "{\"sizes\": [1], \"to\": 10}";
  /** Long enough to be running when the next request comes: a million numbers in chunks of a thousand. */
  private static final String LONG = "{\"sizes\": [1], \"to\": 3000000, \"chunk\": 1000}";

  @TempDir
  Path data;
  private final String name = "it-sweeps-" + UUID.randomUUID().toString().substring(0, 8);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Serve> serves = new ArrayList<>();
  private final List<ProcessHandle> toStop = new ArrayList<>();

  /** One serve: its process, its HTTP port and the live events it sent since it started. */
  private record Serve(LabProcess process, int port, LinkedBlockingQueue<JsonObject> events) {}

  @AfterEach
  void stopEverything() throws Exception {
    for (Serve serve : serves) {
      toStop.addAll(serve.process().handle().descendants().toList());
      serve.process().close();
      System.out.println("serve " + serve.process().pid() + " said:\n" + serve.process().stderr()); // for a failure
    }
    Processes.stopAll(toStop); // the nodes of a killed serve exit by themselves, but not later than this
  }

  @Test
  void oneSweepAtATimeAcrossServesAndOneHistoryOnEvery() throws Exception {
    Serve a = start(data.resolve("a"));
    Serve b = start(data.resolve("b"));

    // A sweep started through one serve; while it runs, a start through the other is refused, naming it and where
    // it runs (a serve of this cluster).
    String run = started(post(a, LONG));
    HttpResponse<String> refused = post(b, ONE_NODE);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    Matcher runner = RUNNER.matcher(new JsonObject(refused.body()).getString("error"));
    assertThat(runner.find()).as(refused.body()).isTrue();
    assertThat(runner.group(1)).isEqualTo(run);
    assertThat(Long.parseLong(runner.group(2))).isIn(a.process().pid(), b.process().pid());

    // Both hear it finish (live), both show it, and each data folder holds it once.
    awaitEvent(a, "lab.squares.finished", e -> e.getJsonObject("body").getString("id").equals(run));
    awaitEvent(b, "lab.squares.finished", e -> e.getJsonObject("body").getString("id").equals(run));
    assertThat(runIds(a)).containsOnlyOnce(run);
    assertThat(runIds(b)).containsOnlyOnce(run);
    assertThat(awaitLinesWith(data.resolve("a"), run)).isEqualTo(1);
    assertThat(awaitLinesWith(data.resolve("b"), run)).isEqualTo(1);

    // A serve that joins later shows the runs made before it came, and does not write them twice into a data
    // folder it shares with another serve.
    Serve c = start(data.resolve("a"));
    assertThat(runIds(c)).containsOnlyOnce(run);
    assertThat(linesWith(data.resolve("a"), run)).isEqualTo(1);

    // The serve running a sweep is killed (kill -9): once the cluster has seen it leave, a start elsewhere goes.
    String second = started(post(c, LONG));
    Matcher holder = RUNNER.matcher(new JsonObject(post(b, ONE_NODE).body()).getString("error"));
    assertThat(holder.find()).isTrue();
    assertThat(holder.group(1)).isEqualTo(second);
    long victimPid = Long.parseLong(holder.group(2));
    Serve victim = serves.stream().filter(s -> s.process().pid() == victimPid).findFirst().orElseThrow();
    Serve survivor = serves.stream().filter(s -> s != victim).findFirst().orElseThrow();
    toStop.addAll(victim.process().handle().descendants().toList()); // its node, orphaned by the kill
    victim.process().kill();
    awaitEvent(survivor, "lab.cluster.changed", e -> e.getJsonObject("body").getString("event").equals("left")
        && e.getJsonObject("body").getJsonObject("member").getLong("pid") == victimPid);
    String third = started(post(survivor, ONE_NODE));
    assertThat(third).isNotEqualTo(second);
    awaitEvent(survivor, "lab.squares.finished", e -> e.getJsonObject("body").getString("id").equals(third));
  }

  private Serve start(Path dataDir) throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--set", "cluster.name=" + name, "--set",
        "data.dir=" + dataDir));
    args.addAll(List.of(CLUSTER));
    LabProcess process = LabProcess.start(args.toArray(String[]::new));
    Serve serve = new Serve(process, 0, new LinkedBlockingQueue<>());
    serves.add(serve);
    int port = Integer.parseInt(process.awaitLine(HTTP_PORT, START).group(1));
    process.awaitLine(Pattern.compile("member of cluster " + name), START);
    serve = new Serve(process, port, serve.events());
    serves.set(serves.size() - 1, serve);
    listen(serve);
    return serve;
  }

  /** Reads the serve's live events ({@code /events}) into its queue, as {"event", "body"}; returns once connected. */
  private void listen(Serve serve) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + "/events?wiretap=false"))
        .header("Accept", "text/event-stream").build();
    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> {
      String event = null;
      try {
        for (String line : (Iterable<String>) response.body()::iterator) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ") && event != null) {
            serve.events().add(new JsonObject().put("event", event).put("body", new JsonObject(line.substring(6))));
          }
        }
      } catch (java.io.UncheckedIOException closed) {
        // the serve stopped (or was killed)
      }
    });
    reader.setDaemon(true);
    reader.start();
  }

  private static void awaitEvent(Serve serve, String event, Predicate<JsonObject> wanted) throws Exception {
    long deadline = System.nanoTime() + RUN.toNanos();
    List<JsonObject> seen = new ArrayList<>();
    while (true) {
      JsonObject next = serve.events().poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(next).as("a " + event + " event on serve " + serve.process().pid() + "; saw " + seen).isNotNull();
      seen.add(next);
      if (next.getString("event").equals(event) && wanted.test(next)) {
        return;
      }
    }
  }

  private HttpResponse<String> post(Serve serve, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + "/api/squares/runs"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String started(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("run");
  }

  private List<String> runIds(Serve serve) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + serve.port() + "/api/squares/runs")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    new JsonObject(response.body()).getJsonArray("runs").forEach(r -> ids.add(((JsonObject) r).getString("id")));
    return ids;
  }

  /**
   * The lines of the data folder's history holding {@code run}, once there is one: the serve that did not run it
   * writes it just after the event (a bounded look at the file every 20 ms, not a sleep standing in for an event).
   */
  private static long awaitLinesWith(Path dataDir, String run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long lines;
    while ((lines = linesWith(dataDir, run)) == 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
    return lines;
  }

  private static long linesWith(Path dataDir, String run) throws Exception {
    if (!Files.exists(new RunHistory(dataDir).file())) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(new RunHistory(dataDir).file())) {
      return lines.filter(l -> l.contains("\"id\":\"" + run + "\"")).count();
    }
  }
}
