package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.concurrencylab.config.LabConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sweep's coordinator, a real Hazelcast member of the run's own cluster. */
class SweepClusterTest {
  /**
   * One thread runs its generic operations, so nodes' join requests are handled one after the other: with a second
   * thread beside it, Hazelcast drops a request that comes while another join is handled, and that node waits a second.
   */
  @Test
  void theCoordinatorHandlesJoinsOnOneThread() throws Exception {
    String runId = "test-" + ProcessHandle.current().pid();
    LabConfig config = LabConfig.load(null, Map.of(), List.of("squares.port=6470", "cluster.portCount=5"));
    SweepCluster cluster = SweepCluster.join(config, runId).await();
    try {
      HazelcastInstance member = Hazelcast.getAllHazelcastInstances().stream()
          .filter(h -> h.getConfig().getClusterName().equals("lab-sweep-" + runId)).findFirst().orElseThrow();
      String prefix = "hz." + member.getName() + ".";
      List<String> generic = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(n -> n.startsWith(prefix) && n.contains("generic-operation")).toList();
      assertThat(generic).containsExactly(prefix + "generic-operation.thread-0");
    } finally {
      cluster.close().await();
    }
  }
}
