package io.concurrencylab.squares;

import com.hazelcast.cluster.Member;
import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.NodeOp;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.cluster.Members;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The squares nodes already in the app's cluster ({@code lab node}, {@code lab cluster start}, on any host): the
 * members that answer a ping on their squares address ({@code lab.squares.node.<id>}, served by
 * {@link SquaresNodeVerticle}); serves and other members have no handler there and are not nodes. A sweep over them
 * ({@code "nodes": "cluster"}) uses them as they are and leaves them running.
 */
public final class ClusterNodes {
  /** How long a member may take to answer the ping that finds it (a node on another host, a busy machine). */
  private static final DeliveryOptions FIND = new DeliveryOptions().setSendTimeout(3_000)
      .addHeader(SquaresMessages.OP, NodeOp.PING.name());

  /** One node: its Vert.x node id, pid (on its own host) and host (its cluster address, without the port). */
  record Node(String nodeId, long pid, String host) {
    String describe() {
      return "pid " + pid + " at " + host;
    }
  }

  private final Vertx vertx;
  private final String clusterName;
  private final List<Node> nodes;

  private ClusterNodes(Vertx vertx, String clusterName, List<Node> nodes) {
    this.vertx = vertx;
    this.clusterName = clusterName;
    this.nodes = nodes;
  }

  /**
   * The nodes in {@code vertx}'s cluster now, in the order a size takes them: one host after another, round robin
   * (a size of 2 over nodes on two hosts uses both hosts). Fails with a 409 when {@code vertx} is not clustered.
   */
  public static Future<ClusterNodes> find(Vertx vertx) {
    if (!vertx.isClustered() || !(((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager manager)) {
      return Future.failedFuture(new LabException(Failures.CONFLICT, "a sweep over the cluster's nodes needs a "
          + "clustered serve (cluster.enabled is false here)"));
    }
    var cluster = manager.getHazelcastInstance().getCluster();
    String self = manager.getNodeId();
    List<Future<Node>> asked = new ArrayList<>();
    for (Member member : cluster.getMembers()) {
      String nodeId = member.getAttribute(Members.NODE_ID);
      if (nodeId == null || nodeId.equals(self)) {
        continue;
      }
      Node node = new Node(nodeId, Members.pid(member), member.getAddress().getHost());
      // no handler (a serve, a status probe) or no answer: not a node this sweep can use
      asked.add(vertx.eventBus().request(Addresses.squaresNode(nodeId), null, FIND).map(reply -> node)
          .otherwise((Node) null));
    }
    String name = manager.getHazelcastInstance().getConfig().getClusterName();
    return Future.join(asked).transform(ar -> Future.succeededFuture(new ClusterNodes(vertx, name,
        roundRobin(asked.stream().map(Future::result).filter(n -> n != null).toList()))));
  }

  private static List<Node> roundRobin(List<Node> found) {
    Map<String, List<Node>> byHost = new TreeMap<>();
    found.stream().sorted(Comparator.comparing(Node::nodeId))
        .forEach(n -> byHost.computeIfAbsent(n.host(), h -> new ArrayList<>()).add(n));
    List<Node> order = new ArrayList<>();
    for (int i = 0; order.size() < found.size(); i++) {
      for (List<Node> onHost : byHost.values()) {
        if (i < onHost.size()) {
          order.add(onHost.get(i));
        }
      }
    }
    return order;
  }

  /**
   * {@code request} with its sizes counted: none given is one size of every node; each size given must not exceed
   * them.
   *
   * @throws LabException 409 when there is no node, or fewer than a size asks for
   */
  public RunRequest sized(RunRequest request) {
    if (nodes.isEmpty()) {
      throw new LabException(Failures.CONFLICT, "no squares nodes in cluster '" + clusterName + "' to run on: start "
          + "some with `lab node` or `lab cluster start N` (on any host; a serve computes no squares)");
    }
    if (request.sizes().isEmpty()) {
      return request.withSizes(List.of(nodes.size()));
    }
    int largest = request.sizes().stream().mapToInt(Integer::intValue).max().orElseThrow();
    if (largest > nodes.size()) {
      throw new LabException(Failures.CONFLICT, "a size of " + largest + " needs " + largest + " squares nodes; "
          + "cluster '" + clusterName + "' has " + nodes.size() + " (" + describe() + ")");
    }
    return request;
  }

  /** The first {@code size} nodes (a size of a sweep over them). */
  List<Node> first(int size) {
    return nodes.subList(0, size);
  }

  Vertx vertx() {
    return vertx;
  }

  /** "pid 4242 at 10.213.0.2, pid 4343 at 10.213.0.3". */
  public String describe() {
    return String.join(", ", nodes.stream().map(Node::describe).toList());
  }

  public int count() {
    return nodes.size();
  }
}
