package io.concurrencylab.squares;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.cluster.NodeProcesses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Passes what a sweep's nodes say (on the sweep's own cluster, which serve's page cannot hear) and their exits on to
 * serve's table of nodes ({@code cluster.NodesVerticle}), with the log file each was launched with: local only.
 */
record ToNodesTable(Vertx serve, String run) implements NodeProcesses.Watcher {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  @Override
  public void launched(NodeProcesses.Node node) {
    serve.eventBus().send(Addresses.NODES_SWEEP, new JsonObject().put("run", run).put("log", node.log().toString())
        .put("launched", node.pid()), LOCAL);
  }

  @Override
  public void reported(JsonObject report, NodeProcesses.Node node) {
    serve.eventBus().send(Addresses.NODES_SWEEP, new JsonObject().put("run", run).put("log", node.log().toString())
        .put("report", report), LOCAL);
  }

  @Override
  public void exited(NodeProcesses.Node node) {
    serve.eventBus().send(Addresses.NODES_SWEEP, new JsonObject().put("run", run).put("log", node.log().toString())
        .put("exited", node.pid()), LOCAL);
  }
}
