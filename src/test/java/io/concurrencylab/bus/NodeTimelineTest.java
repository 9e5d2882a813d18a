package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.SquaresMessages.Marks;
import io.concurrencylab.bus.SquaresMessages.NodeTimeline;
import io.concurrencylab.bus.SquaresMessages.Span;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTimelineTest {
  @Test
  void aLaneKeepsItsNodesLifeAndOneFromBeforeMarksWereKeptReadsWithout() {
    NodeTimeline lane = new NodeTimeline("n1", 42, List.of(new Span(1, 10, 1, 0.5, 1.5)), -1,
        new Marks(-812.25, -3.5, 2.0, null));
    JsonObject json = lane.toJson();
    assertThat(json.getJsonObject("marks").getMap()).containsEntry("launchMs", -812.25).containsEntry("exitMs", null);
    assertThat(NodeTimeline.fromJson(new JsonObject(json.encode()))).isEqualTo(lane);

    JsonObject old = new JsonObject("{\"nodeId\": \"n1\", \"pid\": 42, \"spans\": [], \"lostAtMs\": -1.0}");
    assertThat(NodeTimeline.fromJson(old).marks()).isNull();
    assertThat(NodeTimeline.fromJson(old).toJson().containsKey("marks")).isFalse();
  }
}
