package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.testing.Captured;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab squares up to where it would launch nodes (SquaresIT goes further). */
class SquaresCommandTest {
  private String originalHome;

  @TempDir
  Path home;

  @BeforeEach
  void remember() {
    originalHome = System.getProperty("lab.home");
  }

  @AfterEach
  void restore() {
    if (originalHome == null) {
      System.clearProperty("lab.home");
    } else {
      System.setProperty("lab.home", originalHome);
    }
  }

  /** A cluster.xml Hazelcast refuses is the user's to fix: one line, exit 2, and no run in the history. */
  @Test
  void aClusterXmlThatCannotBeReadIsExit2AndNoRun() throws Exception {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("cluster.xml"), Files.readString(Path.of("conf", "cluster.xml"))
        .replace("<network>", "<heartbeat-intervall>1</heartbeat-intervall>\n  <network>"));
    System.setProperty("lab.home", home.toString());
    Path data = home.resolve("data");

    Captured run = Captured.run(() -> Main.run("squares", "--sizes", "1", "--set", "data.dir=" + data));

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("lab squares: cluster.xml: ").contains("heartbeat-intervall").endsWith("\n")
        .hasLineCount(1);
    assertThat(run.out()).isEmpty();
    assertThat(data).as("nothing recorded, no node logs").doesNotExist();
  }
}
