package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.SquaresMessages.Lost;
import io.concurrencylab.bus.SquaresMessages.NodeSource;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request field that picks a sweep's nodes, and the hosts a record names. */
class SquaresMessagesTest {
  @Test
  void nodesOfTheClusterAreAskedForByName() {
    RunRequest launch = RunRequest.fromBody(new JsonObject(), 8, 1000);
    assertThat(launch.nodes()).isEqualTo(NodeSource.LAUNCH);
    assertThat(launch.sizes()).isEqualTo(RunRequest.DEFAULT_SIZES);
    assertThat(launch.toJson().containsKey("nodes")).as("a launch request is recorded as before").isFalse();

    RunRequest cluster = RunRequest.fromBody(new JsonObject().put("nodes", "cluster"), 8, 1000);
    assertThat(cluster.onCluster()).isTrue();
    assertThat(cluster.sizes()).as("every node of the cluster, once counted").isEmpty();
    RunRequest counted = cluster.withSizes(List.of(3));
    assertThat(counted.toJson().getString("nodes")).isEqualTo("cluster");
    assertThat(RunRequest.fromJson(counted.toJson())).isEqualTo(counted);
    assertThat(RunRequest.fromBody(new JsonObject().put("nodes", "launch"), 8, 1000)).isEqualTo(launch);
    // an optional field given as null is left out, every one alike
    JsonObject nulls = new JsonObject();
    List.of("nodes", "sizes", "from", "to", "chunk", "failAt").forEach(nulls::putNull);
    assertThat(RunRequest.fromBody(nulls, 8, 1000)).isEqualTo(launch);

    assertThatThrownBy(() -> RunRequest.fromBody(new JsonObject().put("nodes", 3), 8, 1000))
        .isInstanceOf(LabException.class).hasMessageStartingWith("nodes must be \"launch\"");
    assertThatThrownBy(() -> RunRequest.fromBody(new JsonObject().put("nodes", "launch")
        .put("sizes", new io.vertx.core.json.JsonArray()), 8, 1000)).hasMessageContaining("sizes");
    assertThatThrownBy(() -> RunRequest.validated(List.of(), 1, 10, null, null, 8, 1000))
        .hasMessage("give at least one cluster size");
  }

  /** A body of thousands of sizes is refused up front (it once jammed serve's sweeps: a stack overflow). */
  @Test
  void atMostSixteenSizesARun() {
    List<Integer> sixteen = java.util.Collections.nCopies(RunRequest.MAX_SIZES, 1);
    assertThat(RunRequest.validated(sixteen, 1, 10, null, null, 8, 1000).sizes()).hasSize(16);
    io.vertx.core.json.JsonArray many = new io.vertx.core.json.JsonArray(java.util.Collections.nCopies(5000, 1));
    assertThatThrownBy(() -> RunRequest.fromBody(new JsonObject().put("sizes", many), 8, 1000))
        .isInstanceOf(LabException.class).hasMessage("at most 16 cluster sizes per run, got 5000");
  }

  /** A size beyond a long is out of the cluster's range like any other, not "at most 9223372036854775807". */
  @Test
  void aSizeBeyondALongIsOutOfTheClustersRange() {
    JsonObject body = new JsonObject("{\"sizes\": [99999999999999999999]}");
    assertThatThrownBy(() -> RunRequest.fromBody(body, 8, 1000)).isInstanceOf(LabException.class)
        .hasMessage("cluster size must be between 1 and 8 (squares.maxNodes), got 99999999999999999999");
    assertThatThrownBy(() -> RunRequest.fromBody(new JsonObject("{\"sizes\": [{\"size\": 9}]}"), 8, 1000))
        .hasMessage("cluster size must be between 1 and 8 (squares.maxNodes), got 9");
    assertThat(RunRequest.fromBody(new JsonObject("{\"sizes\": [2, {\"size\": 4}]}"), 8, 1000).sizes())
        .containsExactly(2, 4);
    assertThatThrownBy(() -> RunRequest.fromBody(new JsonObject("{\"sizes\": [{\"size\": 1, \"x\": 2}]}"), 8, 1000))
        .isInstanceOf(LabException.class).hasMessageStartingWith("unknown field \"x\"");
  }

  @Test
  void aNodeOfTheClusterCountsOnlyWhatItDidInThisSweepAndNamesItsHost() {
    NodeStats before = new NodeStats("n", 42, 10, 10_000, 5.5, 60, 70, 300);
    NodeStats after = new NodeStats("n", 42, 14, 14_000, 7.25, 61, 70, 300);
    NodeStats used = after.since(before).at("10.213.0.2");
    assertThat(used).isEqualTo(new NodeStats("n", 42, 4, 4_000, 1.75, 61, 70, -1, "10.213.0.2"));
    assertThat(NodeStats.fromJson(used.toJson())).isEqualTo(used);
    assertThat(new NodeStats("n", 42, 1, 1, 1, 1, 1, 1).toJson().containsKey("host")).isFalse();

    Lost lost = new Lost("n", 42, "left the cluster", 65).at("10.213.0.3");
    assertThat(Lost.fromJson(lost.toJson())).isEqualTo(lost);
    Lost old = Lost.fromJson(new JsonObject().put("nodeId", "n").put("pid", 42).put("reason", "r")
        .put("requeued", 1));
    assertThat(old.host()).as("a record kept before hosts were").isNull();
    assertThat(old.chunks()).as("nor what it answered").isEqualTo(-1);
    Lost counted = new Lost("n", 42, "left the cluster", 2, 3, 30).at("10.213.0.3");
    assertThat(Lost.fromJson(counted.toJson())).isEqualTo(counted);
    assertThat(counted.toJson().getLong("numbers")).isEqualTo(30);
  }

  /** A record kept with a field of a node's stats missing (or null) says which, not an NPE's text. */
  @Test
  void aNodesStatsWithoutAFieldSayWhich() {
    JsonObject good = new NodeStats("n", 42, 1, 1, 1, 1, 1, 1).toJson();
    assertThat(NodeStats.fromJson(good.copy().put("peakRssMb", null).put("startCpuMs", null)).peakRssMb())
        .as("optional fields").isEqualTo(-1);
    assertThat(NodeStats.fromJson(good.copy().put("nodeId", null)).nodeId()).as("a node never ready has no id").isNull();
    for (String field : List.of("pid", "chunks", "numbers", "busyMs", "rssMb")) {
      assertThatThrownBy(() -> NodeStats.fromJson(good.copy().put(field, null)))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("a node's stats lack \"" + field + "\"");
      JsonObject without = good.copy();
      without.remove(field);
      assertThatThrownBy(() -> NodeStats.fromJson(without)).hasMessage("a node's stats lack \"" + field + "\"");
    }
  }
}
