package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.NodeMessages;
import io.concurrencylab.cluster.NodesVerticle;
import io.concurrencylab.testing.LogCapture;
import io.concurrencylab.web.WebFixture.Reply;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node routes over real HTTP, against a serve that is not clustered: the table, what it refuses and why, and a
 * log served only from the file the serve holds for a node (a sweep's node, told to it in-process).
 */
class NodesRoutesTest {
  @TempDir
  Path dir;
  private WebFixture web;

  @BeforeEach
  void start() {
    var config = WebFixture.config().with("data.dir", dir.resolve("data").toString()).with("cluster.nodeLogTailKiB", 1);
    web = WebFixture.start(new VertxOptions(), config, false, UnaryOperator.identity());
    web.vertx.deployVerticle(new NodesVerticle(config)).await();
  }

  @AfterEach
  void stop() {
    web.close();
  }

  @Test
  void theTableIsEmptyAndAddingNeedsACluster() {
    Reply table = web.get("/api/cluster/nodes");
    assertThat(table.status()).isEqualTo(200);
    assertThat(table.json()).isEqualTo(new JsonObject("{\"nodes\": [], \"maxServeNodes\": 4}"));
    Reply add = web.post("/api/cluster/nodes", "{\"count\": 1}");
    assertThat(add.status()).isEqualTo(409);
    assertThat(add.json().getString("error")).contains("not in a cluster");
  }

  @Test
  void badInputIsA400AndAnUnknownNodeA404AndNoneIsA500() {
    try (LogCapture log = new LogCapture()) {
      for (String body : new String[] {"{\"count\": 0}", "{\"count\": \"2\"}", "{\"count\": 1.5}", "{\"count\": 1, \"x\": 1}",
          "[1]", "7"}) {
        assertThat(web.post("/api/cluster/nodes", body).status()).as(body).isEqualTo(400);
      }
      assertThat(web.call(HttpMethod.DELETE, "/api/cluster/nodes/..%2F..%2Fetc%2Fpasswd", null).status()).isEqualTo(400);
      assertThat(web.get("/api/cluster/nodes/..%2Fnode-1.log/log").status()).isEqualTo(400);
      assertThat(web.get("/api/cluster/nodes/a%20b/log").status()).isEqualTo(400);
      Reply unknown = web.call(HttpMethod.DELETE, "/api/cluster/nodes/12345", null);
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.json().getString("error")).isEqualTo("no node 12345 known to this serve");
      assertThat(web.get("/api/cluster/nodes/12345/log").status()).isEqualTo(404);
      assertThat(web.call(HttpMethod.DELETE, "/api/cluster/nodes/12345", "{}").status()).isEqualTo(400);
      assertThat(log.warnings()).isEmpty();
    }
  }

  @Test
  void aSweepsNodeIsShownItsLogTailIsServedAndItCannotBeStoppedFromHere() throws Exception {
    Path file = Files.createDirectories(dir.resolve("logs")).resolve("node-1-1.log");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      lines.append(String.format("02:00:%02d.000 INFO  [main] i.c.app.NodeCommand - line %d%n", i % 60, i));
    }
    Files.writeString(file, lines);
    long pid = ProcessHandle.current().pid(); // a process that runs: a launched one that is gone is shown gone
    NodeMessages.Report report = new NodeMessages.Report("5c1d-node", pid, "127.0.0.1", "squares-node", 50, 40, 60, 2,
        20, 1500);
    // launched (shown as starting, under its pid), then its first report (the same row, under its node id)
    web.vertx.eventBus().send(Addresses.NODES_SWEEP, new JsonObject().put("run", "r1").put("log", file.toString())
        .put("launched", pid));
    JsonObject starting = awaitRow();
    assertThat(starting.getString("state")).isEqualTo("starting");
    assertThat(starting.getString("key")).isEqualTo(Long.toString(pid));
    web.vertx.eventBus().send(Addresses.NODES_SWEEP, new JsonObject().put("run", "r1").put("log", file.toString())
        .put("report", report.toJson()));
    JsonObject row = web.get("/api/cluster/nodes").json().getJsonArray("nodes").getJsonObject(0);
    assertThat(web.get("/api/cluster/nodes").json().getJsonArray("nodes")).hasSize(1);
    assertThat(row.getString("key")).isEqualTo("5c1d-node");
    assertThat(row.getString("source")).isEqualTo("sweep");
    assertThat(row.getString("run")).isEqualTo("r1");
    assertThat(row.getString("state")).isEqualTo("live");
    assertThat(row.getBoolean("log")).isTrue();
    assertThat(row.getDouble("cpuPercent")).isEqualTo(50.0);

    Reply log = web.get("/api/cluster/nodes/" + pid + "/log"); // by pid, as by node id
    assertThat(log.status()).isEqualTo(200);
    assertThat(log.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(log.body()).startsWith("[the last ").contains("bytes of node-1-1.log]\n")
        .endsWith("line 99" + System.lineSeparator());
    assertThat(log.body().length()).isLessThan(1024 + 100);
    assertThat(log.body().lines().skip(1)).allMatch(l -> l.matches("02:00:\\d\\d\\.000 INFO  \\[main\\] .* - line \\d+"));
    assertThat(web.get("/api/cluster/nodes/5c1d-node/log").body()).isEqualTo(log.body());

    Reply stop = web.call(HttpMethod.DELETE, "/api/cluster/nodes/5c1d-node", null);
    assertThat(stop.status()).isEqualTo(409);
    assertThat(stop.json().getString("error")).contains("sweep r1").contains("cancel the run");
  }

  /**
   * A log the serve holds that is gone, a link, symbolic or hard (it could lead anywhere: /etc/passwd) or a FIFO (reading it would wait
   * for a writer) is a 404 with a JSON error, not a 500, a stack trace or a request that never ends.
   */
  @Test
  void aLogThatIsGoneALinkOrAFifoIsA404() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path gone = logs.resolve("gone.log");
    Path link = Files.createSymbolicLink(logs.resolve("link.log"), Files.writeString(dir.resolve("secret"), "secret"));
    Path hard = Files.createLink(logs.resolve("hard.log"), dir.resolve("secret"));
    Path fifo = logs.resolve("fifo.log");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    long pid = 5000;
    try (LogCapture log = new LogCapture()) {
      for (Path file : new Path[] {gone, link, hard, fifo}) {
        pid++;
        web.vertx.eventBus().send(Addresses.NODES_SWEEP, new JsonObject().put("run", "r1").put("log", file.toString())
            .put("launched", pid));
        long key = pid;
        Reply reply = awaitReply(() -> web.get("/api/cluster/nodes/" + key + "/log"), r -> r.status() != 404
            || !r.json().getString("error").startsWith("no log known"));
        assertThat(reply.status()).as(file.toString()).isEqualTo(404);
        assertThat(reply.json().getString("error")).as(file.toString()).startsWith("the log of node " + pid
            + " cannot be read (").doesNotContain("secret");
        assertThat(reply.json().containsKey("remote")).isFalse();
      }
      assertThat(log.warnings()).isEmpty();
    }
  }

  /** The first reply that {@code done} accepts: the table takes the sweep's message on its own event loop. */
  private static Reply awaitReply(java.util.function.Supplier<Reply> call, java.util.function.Predicate<Reply> done) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    Reply reply;
    while (!done.test(reply = call.get())) {
      assertThat(System.nanoTime()).as("the serve took the message").isLessThan(deadline);
      Thread.onSpinWait();
    }
    return reply;
  }

  /** The table as published once it has a row (lab.nodes.changed: at most a second after the change). */
  private JsonObject awaitRow() {
    io.vertx.core.Promise<JsonObject> row = io.vertx.core.Promise.promise();
    var consumer = web.vertx.eventBus().<JsonObject>consumer(Addresses.NODES_CHANGED, m -> {
      if (!m.body().getJsonArray("nodes").isEmpty()) {
        row.tryComplete(m.body().getJsonArray("nodes").getJsonObject(0));
      }
    });
    try {
      return row.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS).await();
    } finally {
      consumer.unregister();
    }
  }
}
