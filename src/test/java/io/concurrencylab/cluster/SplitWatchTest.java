package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.concurrencylab.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A real clustered Vert.x member whose Hazelcast member is shut down under it, or closed as the app closes it. */
class SplitWatchTest {
  private static final String CLUSTER = "test-splitwatch-" + ProcessHandle.current().pid();

  /** Hazelcast shutting its member down on its own (as after a failed rejoin) is said once, and ends the process. */
  @Test
  void aShutdownByHazelcastItselfIsLostOnceAndSaidWhy() throws Exception {
    HazelcastClusterManager manager = manager(6660);
    Vertx vertx = member(manager);
    CountDownLatch lost = new CountDownLatch(1);
    AtomicInteger times = new AtomicInteger();
    try (LogCapture log = new LogCapture()) {
      SplitWatch.start(manager, () -> {
        times.incrementAndGet();
        lost.countDown();
      });
      // what Node.join does when a rejoin fails: Hazelcast's own shutdown, Vert.x still using the member
      manager.getHazelcastInstance().getLifecycleService().shutdown();
      assertThat(lost.await(30, TimeUnit.SECONDS)).as("lost reported").isTrue();
      assertThat(log.awaitWarning("shutting this member down on its own", 5_000)).isPresent();
      vertx.close().await(30, TimeUnit.SECONDS);
      assertThat(times).as("once, though the member went through SHUTTING_DOWN and SHUTDOWN").hasValue(1);
      assertThat(log.warnings()).filteredOn(w -> w.contains("SplitWatch")).hasSize(1);
    }
  }

  /** The app's own stop (Vert.x leaving the cluster) is no loss: nothing logged, nothing run. */
  @Test
  void theAppsOwnCloseIsNoLoss() throws Exception {
    HazelcastClusterManager manager = manager(6670);
    Vertx vertx = member(manager);
    AtomicInteger lost = new AtomicInteger();
    try (LogCapture log = new LogCapture()) {
      SplitWatch.start(manager, lost::incrementAndGet);
      vertx.close().await(30, TimeUnit.SECONDS);
      assertThat(manager.getHazelcastInstance().getLifecycleService().isRunning()).isFalse();
      assertThat(lost).hasValue(0);
      assertThat(log.warnings()).filteredOn(w -> w.contains("SplitWatch")).isEmpty();
    }
  }

  @Test
  void aMergeIsSaidInTheAppsWords() {
    assertThat(SplitWatch.line(LifecycleState.MERGING, true)).contains("merging into the other side");
    assertThat(SplitWatch.line(LifecycleState.MERGED, true)).startsWith("merged back");
    assertThat(SplitWatch.line(LifecycleState.MERGE_FAILED, true)).contains("failed");
    assertThat(SplitWatch.line(LifecycleState.SHUTTING_DOWN, false)).as("the app's own stop").isNull();
    assertThat(SplitWatch.line(LifecycleState.STARTED, true)).isNull();
  }

  private static HazelcastClusterManager manager(int port) {
    Config hz = ConfigUtil.loadConfig().setClusterName(CLUSTER + "-" + port);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.getNetworkConfig().setPort(port).setPortAutoIncrement(true).setPortCount(5);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    hz.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    hz.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    hz.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
    return new HazelcastClusterManager(hz);
  }

  private static Vertx member(HazelcastClusterManager manager) {
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered().await();
  }
}
