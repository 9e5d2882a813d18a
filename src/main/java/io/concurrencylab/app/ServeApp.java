package io.concurrencylab.app;

import io.concurrencylab.cluster.MembershipVerticle;
import io.concurrencylab.compare.CompareVerticle;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.squares.SweepVerticle;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.concurrencylab.factorial.FactorialWorkerVerticle;
import io.concurrencylab.list.ClusteredListVerticle;
import io.concurrencylab.list.ConsumerVerticle;
import io.concurrencylab.list.ListOwnerVerticle;
import io.concurrencylab.list.ProducerVerticle;
import io.concurrencylab.web.BridgeVerticle;
import io.concurrencylab.web.WebVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * What {@code lab serve} runs, in dependency order: the services first (list owner, factorial workers), then the
 * actors that use them (producer, consumer), then the HTTP server and the event-bus bridge, so nothing they serve
 * can answer NO_HANDLERS.
 */
public final class ServeApp {
  private final WebVerticle web;
  private final BridgeVerticle bridge;

  private ServeApp(WebVerticle web, BridgeVerticle bridge) {
    this.web = web;
    this.bridge = bridge;
  }

  /**
   * @param manager the cluster manager when serve joined the app's cluster (for lab.cluster.*), else null
   */
  public static Future<ServeApp> deploy(Vertx vertx, LabConfig config, HazelcastClusterManager manager) {
    return deploy(vertx, config, manager, null);
  }

  /** @param token when not null, every route but /health and every bridge connection must present it */
  public static Future<ServeApp> deploy(Vertx vertx, LabConfig config, HazelcastClusterManager manager,
      io.concurrencylab.config.AccessToken token) {
    WebVerticle web = new WebVerticle(config).withAccessToken(token);
    if (manager != null) {
      web.withHealthCheck("cluster", 2_000, new io.concurrencylab.cluster.ClusterSafety(vertx,
          manager.getHazelcastInstance().getPartitionService()).procedure());
    }
    BridgeVerticle bridge = new BridgeVerticle(config).withAccessToken(token);
    return list(vertx, config, manager)
        .compose(id -> manager == null ? Future.succeededFuture(id) : vertx.deployVerticle(new MembershipVerticle(manager)))
        .compose(id -> vertx.deployVerticle(new io.concurrencylab.cluster.NodesVerticle(config)))
        .compose(id -> vertx.deployVerticle(new SweepVerticle(config)))
        .compose(id -> vertx.deployVerticle(new CompareVerticle(config)))
        .compose(id -> FactorialWorkerVerticle.deploy(vertx, config.factorialInstances(), config.factorialMaxN(),
            config.factorialMaxInFlight()))
        .compose(id -> vertx.deployVerticle(web))
        .compose(id -> vertx.deployVerticle(bridge))
        .map(id -> new ServeApp(web, bridge));
  }

  /**
   * The list: alone, a local owner with its producer and consumer; in a cluster, one owner for all serves (which
   * runs the producer and consumer, one pair per cluster), failing over to another serve.
   */
  private static Future<String> list(Vertx vertx, LabConfig config, HazelcastClusterManager manager) {
    if (manager == null) {
      return vertx.deployVerticle(new ListOwnerVerticle(config.listCapacity()))
          .compose(id -> vertx.deployVerticle(new ProducerVerticle(config.producerMinMs(), config.producerMaxMs())))
          .compose(id -> vertx.deployVerticle(new ConsumerVerticle(config.consumerMinMs(), config.consumerMaxMs())));
    }
    HazelcastServes serves = new HazelcastServes(manager.getHazelcastInstance(), manager.getNodeId());
    return vertx.deployVerticle(new ClusteredListVerticle(serves, config.listCapacity(), config.listReplicateTimeoutMs(),
        config.listStepDownAfterMs(), self -> List.of(new ProducerVerticle(config.producerMinMs(), config.producerMaxMs()),
            new ConsumerVerticle(config.consumerMinMs(), config.consumerMaxMs()))));
  }

  public int httpPort() {
    return web.actualPort();
  }

  public int bridgePort() {
    return bridge.actualPort();
  }
}
