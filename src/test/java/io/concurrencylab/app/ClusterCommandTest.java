package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.cluster.ClusterRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab cluster's commands on a run folder, up to where they would need a cluster (ClusterIT goes further). */
class ClusterCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @TempDir
  Path runDir;

  @BeforeEach
  void capture() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  /** An address this machine does not have is refused before any node is launched: no process, no log. */
  @Test
  void startOnAnAddressNotOfThisMachineLaunchesNothing() throws Exception {
    int code = Main.run("cluster", "start", "1", "--host", "192.0.2.7", "--set", "cluster.runDir=" + runDir);

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("lab: cannot bind 192.0.2.7 (cluster.host, --host): not an address of this machine\n");
    try (var files = Files.list(runDir)) {
      assertThat(files).as("no PID file, no log").isEmpty();
    }
  }

  /** A damaged PID file is named and left; it stops neither the stop nor the nodes recorded beside it. */
  @Test
  void stopSaysWhichPidFileItCannotReadAndDoesTheRest() throws Exception {
    ClusterRun run = new ClusterRun(runDir);
    ProcessHandle exited = recordedNodeThatHasExited(run);
    Files.writeString(run.pidFile(3), "abc\n");

    int code = Main.run("cluster", "stop", "--set", "cluster.runDir=" + runDir);

    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(stdout + stderr).isEqualTo(ExitCodes.OK);
    assertThat(stderr).isEqualTo("recorded node 3: its PID file " + run.pidFile(3) + " cannot be read (not a PID: "
        + "\"abc\"); no process is signalled for it, and the file is left for you to look at and remove\n");
    assertThat(stdout).contains("node 1 (pid " + exited.pid() + ") was not running")
        .contains("no recorded node left; 1 unreadable PID file(s) left");
    assertThat(run.pidFile(1)).doesNotExist();
    assertThat(run.pidFile(3)).hasContent("abc");
  }

  /** --node takes a node's number too ("node 1", as start and status name it); one already gone is just removed. */
  @Test
  void stopNodeByItsNumber() throws Exception {
    ClusterRun run = new ClusterRun(runDir);
    ProcessHandle exited = recordedNodeThatHasExited(run);

    assertThat(Main.run("cluster", "stop", "--node", "7", "--set", "cluster.runDir=" + runDir))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no recorded node 7");
    assertThat(run.pidFile(1)).exists();

    int code = Main.run("cluster", "stop", "--node", "1", "--set", "cluster.runDir=" + runDir);
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(stdout).isEqualTo(ExitCodes.OK);
    assertThat(stdout).contains("node 1 (pid " + exited.pid() + ") was not running")
        .contains("nothing to stop; its PID file is removed");
    assertThat(run.pidFile(1)).doesNotExist();
  }

  /**
   * A PID file copied to a second one names one process: it is stopped once, counted once. A PID that is another
   * process now (the node gone, its PID reused) is said so, and not signalled.
   */
  @Test
  void stopSignalsEachProcessOnceAndNeverAReusedPid() throws Exception {
    ClusterRun run = new ClusterRun(runDir);
    // stands for a lab node: its command line has "Main node" (ClusterRun.isLabNode), it stops on SIGTERM
    Process node = new ProcessBuilder("bash", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done", "Main", "node")
        .start();
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      run.record(1, node.pid());
      run.record(2, node.pid());
      run.record(3, other.pid());

      int code = Main.run("cluster", "stop", "--set", "cluster.runDir=" + runDir);

      String stdout = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(stdout).isEqualTo(ExitCodes.OK);
      assertThat(stdout).contains("stopped node 1 (pid " + node.pid() + ")")
          .contains("node 2 (pid " + node.pid() + ") is the same process as node 1")
          .contains("node 3 (pid " + other.pid() + ") was not running (pid " + other.pid() + " is another process "
              + "now, not signalled)")
          .contains("no recorded node left (1 stopped in ");
      assertThat(node.isAlive()).isFalse();
      assertThat(other.isAlive()).as("a reused pid is not signalled").isTrue();
      assertThat(run.recorded()).isEmpty();
    } finally {
      node.destroyForcibly();
      other.destroyForcibly();
    }
  }

  /** Node 1 of {@code run}: a process that has already exited. */
  private static ProcessHandle recordedNodeThatHasExited(ClusterRun run) throws Exception {
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    run.record(1, exited.pid());
    return exited.toHandle();
  }

  /** A file where the run folder goes: start says so before launching anything; stop has nothing to do. */
  @Test
  void aFileInPlaceOfTheRunFolderIsOneLine() throws Exception {
    Path file = Files.writeString(runDir.resolve("not-a-folder"), "x");
    assertThat(Main.run("cluster", "start", "1", "--set", "cluster.runDir=" + file)).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("lab: cluster.runDir " + file + " is not a folder, so "
        + "no PID file or log can go there; move that file away or set cluster.runDir\n");
    err.reset();
    assertThat(Main.run("cluster", "stop", "--set", "cluster.runDir=" + file)).isEqualTo(ExitCodes.OK);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("no nodes recorded in " + file + "\n");
    assertThat(file).hasContent("x");
  }

  /** A stop killed after signalling its nodes leaves its stop set: the next stop removes it, not a running stop's. */
  @Test
  void aStopSetLeftByAKilledStopIsRemovedByTheNextStop() throws Exception {
    ClusterRun run = new ClusterRun(runDir);
    ProcessHandle exited = recordedNodeThatHasExited(run);
    io.concurrencylab.cluster.StopSet.write(run.stopSet(), java.util.List.of(exited.pid()));
    assertThat(Main.run("cluster", "stop", "--set", "cluster.runDir=" + runDir)).isEqualTo(ExitCodes.OK);
    assertThat(run.stopSet()).as("written by this JVM, a stop still running: kept").exists();

    String left = Files.readString(run.stopSet()).replaceFirst("\"stopper\":[0-9]+", "\"stopper\":" + exited.pid());
    assertThat(left).contains("\"stopper\":" + exited.pid());
    Files.writeString(run.stopSet(), left);
    assertThat(Main.run("cluster", "stop", "--set", "cluster.runDir=" + runDir)).isEqualTo(ExitCodes.OK);
    assertThat(run.stopSet()).as("its stop has exited: removed").doesNotExist();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
