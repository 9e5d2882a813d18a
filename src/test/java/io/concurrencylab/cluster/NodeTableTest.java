package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.NodeMessages;
import io.concurrencylab.bus.NodeMessages.Report;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTableTest {
  private static Report report(String id, long pid) {
    return new Report(id, pid, "127.0.0.1", "node", 12.5, 40, 55, 3, 30, 1_000);
  }

  @Test
  void aNodeLaunchedHereIsStartingUntilItReportsThenLiveThenGoneWhenItExits() {
    NodeTable table = new NodeTable();
    table.launched(42, NodeTable.SERVE, null, Path.of("node-1.log"), 0);
    assertThat(table.find("42").orElseThrow().state).isEqualTo("starting");
    table.reported(report("abc-1", 42), 10);
    NodeTable.Row row = table.find("abc-1").orElseThrow();
    assertThat(row.state).isEqualTo("live");
    assertThat(row.source).isEqualTo(NodeTable.SERVE); // the launch's row, now under its node id
    assertThat(table.find("42")).containsSame(row);
    JsonObject json = table.toJson(20, 4).getJsonArray("nodes").getJsonObject(0);
    assertThat(json.getString("key")).isEqualTo("abc-1");
    assertThat(json.getDouble("cpuPercent")).isEqualTo(12.5);
    assertThat(json.getDouble("peakRssMb")).isEqualTo(55.0);
    assertThat(json.getBoolean("log")).isTrue();
    table.exited(42, 30, "exited (0)");
    assertThat(row.state).isEqualTo("gone");
    table.reported(report("abc-1", 42), 31); // a report still on its way does not bring it back
    assertThat(row.state).isEqualTo("gone");
  }

  /** A launched node whose process ended before it reported (its launcher killed: no exit heard) is gone. */
  @Test
  void aLaunchedNodeWhoseProcessIsNoMoreIsGone() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    NodeTable table = new NodeTable();
    table.launched(ended.pid(), NodeTable.SWEEP, "r1", Path.of("node-1.log"), 0);
    table.launched(ProcessHandle.current().pid(), NodeTable.SWEEP, "r1", Path.of("node-2.log"), 0);
    assertThat(table.tick(1)).isTrue();
    assertThat(table.find(Long.toString(ended.pid())).orElseThrow().goneWhy).isEqualTo("exited before it reported");
    assertThat(table.find(Long.toString(ProcessHandle.current().pid())).orElseThrow().state).as("still running")
        .isEqualTo("starting");
  }

  @Test
  void aSilentNodeIsMarkedGoneAndAGoneOneIsDroppedAfterAMinute() {
    NodeTable table = new NodeTable();
    table.reported(report("n1", 7), 0);
    assertThat(table.tick(1)).isTrue();
    assertThat(table.tick(2)).as("nothing changed").isFalse();
    assertThat(table.tick(NodeMessages.SILENT_GONE_MS + 1)).isTrue();
    assertThat(table.find("n1").orElseThrow().goneWhy).startsWith("silent");
    table.tick(NodeMessages.SILENT_GONE_MS + NodeTable.KEEP_GONE_MS + 2);
    assertThat(table.find("n1")).isEmpty();
  }

  @Test
  void theTableIsBoundedAndDropsTheOldestGoneFirst() {
    NodeTable table = new NodeTable();
    for (int i = 0; i < NodeTable.MAX; i++) {
      table.reported(report("n" + i, 1000 + i), 0);
    }
    assertThat(table.reported(report("more", 5), 0)).as("full of live nodes").isNull();
    table.left("n3", 1);
    assertThat(table.reported(report("more", 5), 2)).isNotNull();
    assertThat(table.find("n3")).isEmpty();
    assertThat(table.toJson(3, 4).getJsonArray("nodes")).hasSize(NodeTable.MAX);
  }

  @Test
  void aHostileReportIsRefusedAndAHostileKeyFindsNothing() {
    JsonObject bad = report("../../etc", 1).toJson();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Report.fromJson(bad))
        .hasMessageContaining("node id");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeMessages.Which.fromBody(
        new JsonObject().put("node", "../x"))).hasMessage("not a node id or pid: \"../x\" (letters, digits and '-', "
        + "at most 64)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeMessages.Which.fromBody(new JsonObject()))
        .hasMessage("expected {\"node\": \"<node id or pid>\"} (letters, digits and '-')");
    assertThat(new NodeTable().find("99999999999")).isEmpty();
  }

  @Test
  void aLogTailStartsAtAWholeLineAndSaysItIsCut(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("node.log");
    Files.writeString(log, "01:00:00.000 INFO  first line\n01:00:00.001 INFO  second line\n");
    LogTail whole = LogTail.read(log, 1024);
    assertThat(whole.truncated()).isFalse();
    assertThat(whole.text()).startsWith("01:00:00.000 INFO  first line");
    LogTail cut = LogTail.read(log, 40);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.text()).isEqualTo("01:00:00.001 INFO  second line\n".substring(
        "01:00:00.001 INFO  second line\n".length() - cut.text().length()));
    assertThat(cut.size()).isEqualTo(Files.size(log));
  }
}
