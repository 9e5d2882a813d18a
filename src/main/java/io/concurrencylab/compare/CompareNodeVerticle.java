package io.concurrencylab.compare;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.CompareMessages;
import io.concurrencylab.bus.CompareMessages.NodeReady;
import io.concurrencylab.bus.CompareMessages.Task;
import io.concurrencylab.bus.Failures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * A comparison node's work ({@code lab node --compare}), the lesson's pool process: on
 * {@code lab.compare.node.<nodeId>}, answers pings and runs one task at a time on a worker thread (a blocking
 * request or the computation; never on this node's event loop). Started once its address is known cluster-wide and
 * the coordinator has taken its "ready".
 */
public final class CompareNodeVerticle extends VerticleBase {
  private final String nodeId;
  private final long readyTimeoutMs;

  public CompareNodeVerticle(String nodeId, long readyTimeoutMs) {
    this.nodeId = nodeId;
    this.readyTimeoutMs = readyTimeoutMs;
  }

  @Override
  public Future<?> start() {
    NodeReady ready = new NodeReady(nodeId, ProcessHandle.current().pid());
    return vertx.eventBus().<JsonObject>consumer(Addresses.compareNode(nodeId), this::handle).completion()
        .compose(v -> vertx.eventBus().request(Addresses.COMPARE_READY, ready.toJson(),
            new DeliveryOptions().setSendTimeout(readyTimeoutMs)));
  }

  private void handle(Message<JsonObject> msg) {
    if (CompareMessages.PING.equals(msg.headers().get(CompareMessages.OP))) {
      msg.reply(nodeId);
      return;
    }
    Task task;
    try {
      task = Task.fromJson(msg.body());
    } catch (RuntimeException e) {
      msg.fail(Failures.BAD_INPUT, "not a task: " + e.getMessage());
      return;
    }
    vertx.executeBlocking(() -> Tasks.run(task)).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        Failures.reply(msg, ar.cause());
      }
    });
  }
}
