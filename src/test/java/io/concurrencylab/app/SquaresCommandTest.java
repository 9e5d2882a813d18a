package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab squares up to where it would launch nodes (SquaresIT goes further). */
class SquaresCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;
  private String originalHome;

  @TempDir
  Path home;

  @BeforeEach
  void capture() {
    originalOut = System.out;
    originalErr = System.err;
    originalHome = System.getProperty("lab.home");
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
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

    int code = Main.run("squares", "--sizes", "1", "--set", "data.dir=" + data);

    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(stderr).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr).startsWith("lab squares: cluster.xml: ").contains("heartbeat-intervall").endsWith("\n")
        .hasLineCount(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(data).as("nothing recorded, no node logs").doesNotExist();
  }
}
