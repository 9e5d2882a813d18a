package io.concurrencylab.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Real clustered Vert.x members in the test's JVM: loopback only, a cluster name and ports of the test's own. */
public final class ClusterMembers {
  private ClusterMembers() {}

  /** A member of {@code cluster}, Hazelcast on {@code port} and up (it tries that range to find the others). */
  public static Vertx member(String cluster, int port) {
    Config hz = ConfigUtil.loadConfig().setClusterName(cluster);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.getNetworkConfig().setPort(port).setPortAutoIncrement(true).setPortCount(10);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1"); // tries the port range above
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz)).buildClustered().await();
  }
}
