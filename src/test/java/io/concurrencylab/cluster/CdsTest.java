package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsTest {
  @TempDir
  Path dir;

  @Test
  void aNodeOfTheAppsClusterMapsTheMembersArchiveAndASweepsNodeTheSweeps() throws Exception {
    Path sweep = Files.writeString(dir.resolve("concurrency-lab-1.jsa"), "archive");
    Path members = Files.writeString(dir.resolve("concurrency-lab-1-members.jsa"), "archive");
    assertThat(Cds.flags(sweep, false)).contains("-XX:SharedArchiveFile=" + sweep, "-XX:ArchiveRelocationMode=0");
    assertThat(Cds.flags(sweep, true)).contains("-XX:SharedArchiveFile=" + members, "-XX:ArchiveRelocationMode=0");
  }

  @Test
  void withoutTheMembersArchiveEveryNodeMapsTheSweeps() throws Exception {
    Path sweep = Files.writeString(dir.resolve("concurrency-lab-1.jsa"), "archive");
    assertThat(Cds.flags(sweep, true)).contains("-XX:SharedArchiveFile=" + sweep);
  }

  @Test
  void withoutAnyArchiveNodesStartWithout() {
    assertThat(Cds.flags(dir.resolve("concurrency-lab-1.jsa"), true)).isEmpty();
    assertThat(Cds.flags(dir.resolve("concurrency-lab-1.jsa"), false)).isEmpty();
  }
}
