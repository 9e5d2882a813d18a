package io.concurrencylab.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.NodeRegistry;
import io.concurrencylab.testing.LabProcess;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The lesson's Q5 across processes: a clustered Lock held here makes a node in another process wait; once it is
 * released, the node's entry in the clustered AsyncMap and the clustered Counter are visible here. Vert.x's answer
 * to multiprocessing's Manager, Value and Lock, between real processes.
 */
class Q5ClusterSharingIT {
  @Test
  void aClusteredLockMapAndCounterAcrossProcesses() throws Exception {
    String name = "it-q5-" + UUID.randomUUID().toString().substring(0, 8);
    ClusterSettings.Clustered here = new ClusterSettings(name, "127.0.0.1", 5941, 10, false, "test")
        .join(new VertxOptions()).await();
    try {
      var shared = here.vertx().sharedData();
      Lock lock = shared.getLockWithTimeout(NodeRegistry.LOCK, 10_000).await();
      try (LabProcess node = LabProcess.start("node", "--cluster-name", name, "--port", "5941", "--port-count", "10")) {
        node.awaitLine(Pattern.compile("node signing in \\(waiting for the cluster lock"), Duration.ofSeconds(60));
        // the node is blocked on our lock: nothing of it is in the map or the counter yet
        assertThat(shared.getCounter(NodeRegistry.COUNTER).await().get().await()).isZero();
        assertThat(NodeRegistry.map(here.vertx()).await().size().await()).isZero();

        lock.release();
        Matcher ready = node.awaitLine(Pattern.compile("node ready: nodeId=(\\S+) pid=(\\d+)"), Duration.ofSeconds(60));
        JsonObject entry = NodeRegistry.map(here.vertx()).await().get(ready.group(1)).await();
        assertThat(entry.getLong("pid")).isEqualTo(Long.parseLong(ready.group(2))).isEqualTo(node.pid());
        assertThat(shared.getCounter(NodeRegistry.COUNTER).await().get().await()).isEqualTo(1);

        node.terminate(); // a clean stop signs out
        assertThat(node.awaitExit(Duration.ofSeconds(30))).isZero();
        assertThat(NodeRegistry.map(here.vertx()).await().get(ready.group(1)).await()).isNull();
      }
    } finally {
      here.vertx().close().await();
    }
  }
}
