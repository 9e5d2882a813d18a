package io.concurrencylab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serves {@code lab bench list} starts across processes, with the settings it gives them: real serves of the
 * built jar. A setting the app refuses stopped that bench at its first serve (list.capacity over its bound).
 */
class ServeClusterIT {
  @TempDir
  Path dir;

  @Test
  void aServeStartsWithTheBenchmarksSettingsAndIsStoppedAtClose() throws Exception {
    Process process;
    try (ServeCluster cluster = new ServeCluster(6631, dir)) {
      ServeCluster.Serve serve = cluster.start();
      process = serve.process();
      assertThat(serve.httpPort()).isPositive();
      assertThat(serve.bridgePort()).isPositive();
      assertThat(serve.nodeId()).isNotBlank();
      assertThat(cluster.alive()).containsExactly(serve);
    }
    assertThat(process.isAlive()).isFalse();
  }

  @Test
  void aServeThatExitsAtOnceIsOneLineWithItsReason() throws Exception {
    try (ServeCluster cluster = new ServeCluster(70000, dir)) {
      assertThatThrownBy(cluster::start).isInstanceOf(IOException.class)
          .hasMessageStartingWith("a serve of the benchmark exited before it served: ")
          .hasMessageContaining("cluster.port").hasMessageContaining("serve-0.log");
    }
  }
}
