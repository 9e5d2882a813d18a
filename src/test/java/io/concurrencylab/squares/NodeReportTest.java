package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.NodeMessages;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.Chunk;
import io.concurrencylab.bus.SquaresMessages.NodeOp;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's report says what it computed by the time its size asks for its stats: a size of a few milliseconds ends
 * before the once-a-second report, and the node is stopped before the next one (serve's table showed 0 chunks).
 */
class NodeReportTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void statsAreReportedAsTheyAreAnswered() {
    vertx.deployVerticle(new SquaresNodeVerticle("n-1", "squares-node", "127.0.0.1")).await();
    var bus = vertx.eventBus();
    for (int i = 0; i < 3; i++) {
      bus.request(Addresses.squaresNode("n-1"), new Chunk(1 + 10L * i, 10).toBuffer(),
          new DeliveryOptions().addHeader(SquaresMessages.OP, NodeOp.CHUNK.name())).await();
    }
    // the report consumer and the stats request on one context: the node publishes the report before it replies,
    // from one thread, so the report is handled before the reply is
    List<NodeMessages.Report> reports = new CopyOnWriteArrayList<>();
    Promise<List<NodeMessages.Report>> seen = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> bus.<JsonObject>consumer(Addresses.NODES_REPORT,
        m -> reports.add(NodeMessages.Report.fromJson(m.body()))).completion()
        .compose(registered -> bus.request(Addresses.squaresNode("n-1"), null,
            new DeliveryOptions().addHeader(SquaresMessages.OP, NodeOp.STATS.name())))
        .map(reply -> List.copyOf(reports)).onComplete(seen));

    assertThat(seen.future().await()).last().satisfies(r -> {
      assertThat(r.chunks()).isEqualTo(3);
      assertThat(r.numbers()).isEqualTo(30);
    });
  }
}
