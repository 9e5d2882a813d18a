package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.NodeMessages;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.cluster.NodesVerticle;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code lab squares} run's nodes live on a cluster of their own: serve on the same machine shows them from the
 * run's journal. A real process stands for the node; the journal is written as the CLI writes it.
 */
class NodesJournalTest {
  @TempDir
  Path dir;
  private Vertx vertx;
  private Process node;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    vertx.deployVerticle(new NodesVerticle(LabConfig.defaults().with("data.dir", dir.toString()))).await();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.destroyForcibly();
    }
    vertx.close().await();
  }

  @Test
  void aRunsNodesAppearOnServesTableLiveThenGone() throws Exception {
    node = new ProcessBuilder("sleep", "60").start();
    Path log = Files.createDirectories(dir.resolve("logs").resolve("r-cli")).resolve("node-1.log");
    Files.writeString(log, "03:50:00.000 INFO  [main] i.c.a.NodeCommand - node ready: nodeId=n-cli\n");
    NodeProcesses.Node launched = new NodeProcesses.Node("node-1", node, log);
    NodesJournal journal = new NodesJournal(dir, "r-cli");
    journal.launched(launched);
    journal.reported(new NodeMessages.Report("n-cli", node.pid(), "127.0.0.1", "squares-node", 42, 80, 90, 3, 3000,
        1500).toJson(), launched);
    // a line naming a log outside data.dir/logs is not believed
    Files.writeString(dir.resolve(NodeMessages.JOURNAL_DIR).resolve("forged.jsonl"), new JsonObject().put("run", "x")
        .put("log", "/etc/passwd").put("launched", 1).encode() + "\nnot json\n");

    JsonObject row = awaitRow(r -> r.getString("key").equals("n-cli") && r.getString("state").equals("live"));
    assertThat(row.getString("source")).isEqualTo("sweep");
    assertThat(row.getString("run")).isEqualTo("r-cli");
    assertThat(row.getLong("pid")).isEqualTo(node.pid());
    assertThat(row.getDouble("cpuPercent")).isEqualTo(42.0);
    assertThat(row.getBoolean("log")).isTrue();
    JsonObject tail = vertx.eventBus().<JsonObject>request(Addresses.NODES_LOG,
        new JsonObject().put("node", node.pid())).await().body();
    assertThat(tail.getString("text")).contains("node ready: nodeId=n-cli");

    journal.exited(launched);
    awaitRow(r -> r.getString("key").equals("n-cli") && r.getString("state").equals("gone"));
    assertThat(table()).noneMatch(r -> r.getLong("pid") == 1L);
  }

  private List<JsonObject> table() {
    return vertx.eventBus().<JsonObject>request(Addresses.NODES_LIST, null).await().body().getJsonArray("nodes")
        .stream().map(JsonObject.class::cast).toList();
  }

  /** The table's row that {@code wanted}, now or as serve publishes its next change (lab.nodes.changed). */
  private JsonObject awaitRow(Predicate<JsonObject> wanted) {
    io.vertx.core.Promise<JsonObject> found = io.vertx.core.Promise.promise();
    var consumer = vertx.eventBus().<JsonObject>consumer(Addresses.NODES_CHANGED, m -> m.body().getJsonArray("nodes")
        .stream().map(JsonObject.class::cast).filter(wanted).findFirst().ifPresent(found::tryComplete));
    try {
      consumer.completion().await();
      table().stream().filter(wanted).findFirst().ifPresent(found::tryComplete);
      return found.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS).await();
    } finally {
      consumer.unregister();
    }
  }
}
