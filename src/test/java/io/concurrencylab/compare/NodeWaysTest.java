package io.concurrencylab.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.NodeProcesses;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A comparison's coordinator, a real Hazelcast member of the comparison's own cluster (no node launched). */
class NodeWaysTest {
  /** As a sweep's: one thread runs its generic operations, so the nodes' join requests are not dropped and retried. */
  @Test
  void theCoordinatorHandlesJoinsOnOneThread(@TempDir Path logs) {
    String name = "lab-compare-test-" + ProcessHandle.current().pid();
    ClusterSettings cluster = new ClusterSettings(name, "127.0.0.1", 6490, 5, false, "compare-coordinator");
    try (NodeWays ways = NodeWays.join(new NodeWays.Plan(cluster, 10_000, 5_000), new NodeProcesses("", logs))) {
      HazelcastInstance member = Hazelcast.getAllHazelcastInstances().stream()
          .filter(h -> h.getConfig().getClusterName().equals(name)).findFirst().orElseThrow();
      String prefix = "hz." + member.getName() + ".";
      List<String> generic = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(n -> n.startsWith(prefix) && n.contains("generic-operation")).toList();
      assertThat(generic).containsExactly(prefix + "generic-operation.thread-0");
    }
  }
}
