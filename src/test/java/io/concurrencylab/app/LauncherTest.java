package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launcher/lab}'s first run, the one that builds the nodes' class-data-sharing archive, in a throwaway
 * checkout whose jar is up to date (so no Maven), with a stand-in for {@code java} on the PATH that records every
 * call. Fast and exact: what the launcher asks java to do is all there is to check.
 */
class LauncherTest {
  private static final String LOCK = ".lab-cds.lock";
  @TempDir
  Path dir;
  private final List<Process> started = new ArrayList<>();

  /**
   * Records its arguments, one call a line; a training sweep waits until released; the training's first node of
   * lab cluster start fails when told to; a dump writes the archive.
   */
  private static final String FAKE_JAVA = """
      #!/usr/bin/env bash
      echo "$*" >>"$LAB_TEST_DIR/calls"
      case "$*" in
        *" squares --sizes 1 "*DumpLoadedClassList*)
          touch "$LAB_TEST_DIR/training-$$"
          [ -e "$LAB_TEST_DIR/fail-training" ] && { echo "lab squares: bad config" >&2; exit 2; }
          for _ in $(seq 1 1200); do [ -e "$LAB_TEST_DIR/release" ] && break; sleep 0.05; done ;;
        *" cluster start 1 "*DumpLoadedClassList*)
          if [ -e "$LAB_TEST_DIR/fail-members" ]; then
            echo "lab cluster start: node 1 failed to start" >&2; exit 1
          fi ;;
        *-Xshare:dump*)
          for a in "$@"; do case "$a" in -XX:SharedArchiveFile=*) echo archive >"${a#*=}" ;; esac; done ;;
      esac
      """;

  @AfterEach
  void nothingLeft() throws Exception {
    Files.writeString(dir.resolve("release"), ""); // a stand-in still waiting ends at once
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A checkout with the launcher, an up-to-date jar (newer than pom, sources and conf), and fake java first on PATH. */
  private Path checkout() throws IOException {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("launcher"));
    Path lab = Files.copy(Path.of("launcher", "lab"), home.resolve("launcher/lab"));
    Files.setPosixFilePermissions(lab, PosixFilePermissions.fromString("rwxr-xr-x"));
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    for (String sub : new String[] {"src/main", "conf"}) {
      Files.setLastModifiedTime(Files.createDirectories(home.resolve(sub)), old);
    }
    Files.setLastModifiedTime(Files.writeString(home.resolve("pom.xml"), "<project/>"), old);
    Files.createDirectories(home.resolve("target"));
    Files.writeString(home.resolve("target/concurrency-lab.jar"), "not really a jar: java is a stand-in here");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("java"), FAKE_JAVA);
    Files.setPosixFilePermissions(bin.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  private Process launch(Path home, String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(home.resolve("launcher/lab").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile());
    builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    builder.environment().put("LAB_TEST_DIR", dir.toString());
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private List<String> calls() throws IOException {
    Path calls = dir.resolve("calls");
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  /** The training sweeps. */
  private List<String> trainings() throws IOException {
    return calls().stream().filter(c -> c.contains("DumpLoadedClassList") && c.contains(" squares ")).toList();
  }

  /** The training's calls of lab cluster (its nodes' start and stop), in order. */
  private List<String> memberTraining() throws IOException {
    return calls().stream().filter(c -> c.contains("cluster.name=lab-cds-training-")).toList();
  }

  /** Polls (bounded) until {@code condition} holds; false if it never did. */
  private static boolean waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(10_000_000);
    }
    return true;
  }

  /** Whether one of {@code launcher}'s processes is a {@code flock} holding the archive's lock file open (waiting on it). */
  private static boolean waitingOnTheLock(Process launcher) {
    return launcher.descendants().anyMatch(p -> p.info().command().map(c -> c.endsWith("/flock")).orElse(false)
        && opens(p.pid(), LOCK));
  }

  private static boolean opens(long pid, String name) {
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.anyMatch(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().endsWith(name);
        } catch (IOException gone) {
          return false;
        }
      });
    } catch (IOException gone) {
      return false;
    }
  }

  @Test
  void theTrainingSweepRunsWithTheUsersSettingsNotAPortOfItsOwn() throws Exception {
    Path home = checkout();
    Path config = Files.writeString(dir.resolve("mine.json"), "{}");
    Files.writeString(dir.resolve("release"), "");
    Process lab = launch(home, "one", "cluster", "status", "--config", config.toString(), "--set",
        "squares.port=6123", "--set=cluster.host=127.0.0.1");
    assertThat(lab.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(lab.exitValue()).as(Files.readString(dir.resolve("one.err"))).isZero();

    assertThat(trainings()).hasSize(1);
    String training = trainings().get(0);
    assertThat(training).contains(" squares --sizes 1 ", " --config " + config + " ", " --set squares.port=6123 ",
        " --set=cluster.host=127.0.0.1 ").doesNotContainPattern("squares\\.port=5990\\b");
    // its own data and class list come last, so they win over anything the user set
    assertThat(training.indexOf("--set data.dir=")).isGreaterThan(training.indexOf("squares.port=6123"));
    assertThat(home.resolve("target/run/cds-training.log")).exists();
    try (var run = Files.list(home.resolve("target/run"))) { // the sweep's archive, and the members' (its own list)
      assertThat(run.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-members.jsa"))
          .anyMatch(n -> n.endsWith(".jsa") && !n.endsWith("-members.jsa"));
    }
    assertThat(calls().stream().filter(c -> c.contains("-Xshare:dump"))).satisfiesExactlyInAnyOrder(
        c -> assertThat(c).containsPattern("SharedClassListFile=\\S+/node\\.classlist ").doesNotContain("-members.jsa"),
        c -> assertThat(c).containsPattern("SharedClassListFile=\\S+/member\\.classlist ").contains("-members.jsa"));
    // then a node of lab cluster start, stopped while a second stays, on a cluster and run folder of its own
    List<String> members = memberTraining();
    assertThat(members).hasSize(4);
    assertThat(members.get(0)).contains(" cluster start 1 ", " --set squares.port=6123 ", "DumpLoadedClassList");
    assertThat(members.get(1)).contains(" cluster start 1 ").doesNotContain("DumpLoadedClassList");
    assertThat(members.get(2)).contains(" cluster stop --node 1 ");
    assertThat(members.get(3)).contains(" cluster stop ").doesNotContain("--node");
    for (String call : members) {
      assertThat(call).contains(" --set cluster.join= ").containsPattern("--set cluster\\.runDir=\\S+/cluster ")
          .containsPattern("--set data\\.dir=\\S+/data ");
      assertThat(call.indexOf("--set cluster.runDir=")).isGreaterThan(call.indexOf("cluster.host=127.0.0.1"));
    }
    // and then the command itself, as asked
    assertThat(calls().get(calls().size() - 1)).endsWith(" cluster status --config " + config
        + " --set squares.port=6123 --set=cluster.host=127.0.0.1");
  }

  /**
   * lab cluster's short-lived commands run C1 only with the serial GC and map the app's nodes' archive, as a serve
   * and a node started by hand do (without the compiler and GC flags: they run for long); a sweep's coordinator maps
   * its nodes' archive, compare's and the bench's do not (their figures stay comparable with earlier runs); help maps
   * nothing.
   */
  @Test
  void eachCommandMapsTheArchiveOfWhatItLoads() throws Exception {
    Path home = checkout();
    Files.writeString(dir.resolve("release"), "");
    statusRunsAndSays(home, null);
    String status = calls().get(calls().size() - 1);
    assertThat(status).endsWith(" cluster status").contains(" -XX:TieredStopAtLevel=1 ", " -XX:+UseSerialGC ")
        .containsPattern("-XX:SharedArchiveFile=\\S+/target/run/concurrency-lab-\\d+-members\\.jsa -Xshare:auto ");
    for (String[] command : new String[][] {{"squares", "--sizes", "2"}, {"compare"}, {"node"}, {"serve"},
        {"cluster", "--help"}}) {
      Process lab = launch(home, command[0], command);
      assertThat(lab.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(lab.exitValue()).isZero();
    }
    List<String> calls = calls();
    assertThat(calls.get(calls.size() - 5)).endsWith(" squares --sizes 2")
        .containsPattern("-XX:SharedArchiveFile=\\S+/concurrency-lab-\\d+\\.jsa -Xshare:auto ")
        .doesNotContain("UseSerialGC");
    assertThat(calls.get(calls.size() - 4)).endsWith(" compare").doesNotContain("SharedArchiveFile");
    assertThat(calls.get(calls.size() - 3)).endsWith(" node").contains("-members.jsa -Xshare:auto ")
        .doesNotContain("UseSerialGC");
    assertThat(calls.get(calls.size() - 2)).endsWith(" serve").contains("-members.jsa -Xshare:auto ", " -Xmx512m ")
        .doesNotContain("UseSerialGC");
    assertThat(calls.get(calls.size() - 1)).endsWith(" cluster --help").doesNotContain("SharedArchiveFile");
  }

  /**
   * Archives fit the JVM build that dumped them (another one's, -Xshare:auto skips quietly): a JDK update (here the
   * stand-in java's class image written anew) builds them again, once; the same JDK keeps them.
   */
  @Test
  void archivesOfAnotherJdkAreBuiltAgain() throws Exception {
    Path home = checkout();
    Files.writeString(dir.resolve("release"), "");
    statusRunsAndSays(home, null);
    assertThat(trainings()).hasSize(1);
    Process same = launch(home, "same", "cluster", "status");
    assertThat(same.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(trainings()).as("the same JDK").hasSize(1);

    Files.writeString(Files.createDirectories(dir.resolve("lib")).resolve("modules"), "a newer JDK's classes");
    statusRunsAndSays(home, null);
    assertThat(trainings()).as("after the JDK update").hasSize(2);
    Process again = launch(home, "again", "cluster", "status");
    assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(trainings()).hasSize(2);
    assertThat(Files.readString(dir.resolve("again.err"))).isEmpty();
    try (var run = Files.list(home.resolve("target/run"))) {
      assertThat(run.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-members.jsa"))
          .anyMatch(n -> n.endsWith(".jsa.jdk"));
    }
  }

  /** {@code lab cluster status} ends well, its stderr the archive's building line then {@code said} (if any). */
  private void statusRunsAndSays(Path home, String said) throws Exception {
    Process lab = launch(home, "one", "cluster", "status");
    assertThat(lab.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(lab.exitValue()).isZero();
    String building = "lab: building the class-data-sharing archive for nodes (once per build and JDK, about 20 s) ...";
    assertThat(Files.readString(dir.resolve("one.err")).lines()).containsExactlyElementsOf(
        said == null ? List.of(building) : List.of(building, said));
  }

  /** A training that fails (e.g. the user's config is refused) leaves no archive, says so, and the command runs. */
  @Test
  void aFailedTrainingSaysSoAndTheCommandStillRuns() throws Exception {
    Path home = checkout();
    Files.writeString(dir.resolve("fail-training"), "");
    statusRunsAndSays(home, "lab: no archive built, its training run failed (target/run/cds-training.log has why); "
        + "nodes start without it, and the next start tries again");
    assertThat(Files.readString(home.resolve("target/run/cds-training.log"))).contains("lab squares: bad config");
    try (var run = Files.list(home.resolve("target/run"))) {
      assertThat(run.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".jsa"));
    }
    assertThat(calls().get(calls().size() - 1)).endsWith(" cluster status");
  }

  /** The members' half of the training failing: its nodes are stopped, and the archive is built without it. */
  @Test
  void aFailedTrainingOfClusterNodesStopsThemAndTheArchiveIsStillBuilt() throws Exception {
    Path home = checkout();
    Files.writeString(dir.resolve("release"), "");
    Files.writeString(dir.resolve("fail-members"), "");
    statusRunsAndSays(home, "lab: no class-data archive for the nodes of lab cluster start, its training failed "
        + "(target/run/cds-training.log has why); they start from the sweep's (delete target/run/*.jsa to try again)");
    List<String> members = memberTraining();
    assertThat(members).hasSize(2);
    assertThat(members.get(0)).contains(" cluster start 1 ");
    assertThat(members.get(1)).contains(" cluster stop ").doesNotContain("--node"); // whatever it started
    assertThat(Files.readString(home.resolve("target/run/cds-training.log"))).contains(
        "lab cluster start: node 1 failed to start",
        "no archive for the nodes of lab cluster start: its training failed; they map the sweep's");
    try (var run = Files.list(home.resolve("target/run"))) {
      assertThat(run.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".jsa"))
          .noneMatch(n -> n.endsWith("-members.jsa"));
    }
    assertThat(calls().get(calls().size() - 1)).endsWith(" cluster status");
  }

  @Test
  void twoLaunchersStartingTogetherBuildTheArchiveOnce() throws Exception {
    Path home = checkout();
    Process first = launch(home, "first", "squares", "--sizes", "2");
    assertThat(waitFor(() -> trainings().size() == 1)).as("the first launcher starts training").isTrue();
    Process second = launch(home, "second", "squares", "--sizes", "2");
    // the second launcher must wait for the first (holding the lock), not train too
    assertThat(waitFor(() -> waitingOnTheLock(second) || trainings().size() > 1)).isTrue();
    Files.writeString(dir.resolve("release"), "");
    assertThat(first.waitFor(30, TimeUnit.SECONDS) && second.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(trainings()).as("training sweeps run").hasSize(1);
    String stderr = Files.readString(dir.resolve("first.err")) + Files.readString(dir.resolve("second.err"));
    assertThat(stderr.lines().filter(l -> l.contains("building the class-data-sharing archive"))).hasSize(1);
    assertThat(first.exitValue()).isZero();
    assertThat(second.exitValue()).isZero();
    assertThat(calls().stream().filter(c -> c.endsWith(" squares --sizes 2"))).as("both ran their command").hasSize(2);
  }

  /** As the README starts three serves: launchers started together each run their command, from one copy of the jar. */
  @Test
  void launchersStartingTogetherEachRunTheirCommand() throws Exception {
    Path home = checkout();
    // copying the jar takes a while (a slow disk), so the launchers' copies overlap unless one waits for another
    Path cp = dir.resolve("bin/cp");
    Files.writeString(cp, "#!/usr/bin/env bash\nsleep 0.3\nexec /bin/cp \"$@\"\n");
    Files.setPosixFilePermissions(cp, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<Process> launchers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      launchers.add(launch(home, "eb-" + i, "eb", "send", "lab.squares.runs"));
    }
    for (int i = 0; i < launchers.size(); i++) {
      assertThat(launchers.get(i).waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(launchers.get(i).exitValue()).as(Files.readString(dir.resolve("eb-" + i + ".err"))).isZero();
    }
    assertThat(calls().stream().filter(c -> c.endsWith(" eb send lab.squares.runs"))).hasSize(6);
    try (var run = Files.list(home.resolve("target/run"))) {
      assertThat(run.map(p -> p.getFileName().toString())).as("one copy, no leftovers")
          .singleElement().satisfies(n -> assertThat(n).endsWith(".jar"));
    }
  }

  /**
   * A build cut short (SIGTERM to the launcher alone: it once left Maven running and, at Ctrl-C, a jar of 0 bytes
   * newer than the sources that no later start rebuilt): Maven is stopped, exit 130, and the next start builds again.
   */
  @Test
  void aBuildCutShortIsStoppedAndDoneAgainNextTime() throws Exception {
    Path home = checkout();
    Files.setLastModifiedTime(home.resolve("pom.xml"), FileTime.from(Instant.now().plusSeconds(5))); // sources changed
    // a stand-in for Maven: says it runs, truncates the jar as a packaging cut short does, waits until released
    Path mvn = dir.resolve("bin/mvn");
    Files.writeString(mvn, """
        #!/usr/bin/env bash
        echo "mvn $$ $*" >>"$LAB_TEST_DIR/calls"
        : >target/concurrency-lab.jar
        for _ in $(seq 1 1200); do [ -e "$LAB_TEST_DIR/built" ] && break; sleep 0.05; done
        echo "a jar, built" >target/concurrency-lab.jar
        """);
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    Process first = launch(home, "first", "--version");
    assertThat(waitFor(() -> calls().stream().anyMatch(c -> c.startsWith("mvn ")))).as("building").isTrue();
    long mavenPid = Long.parseLong(calls().stream().filter(c -> c.startsWith("mvn ")).findFirst().orElseThrow()
        .split(" ")[1]);
    first.destroy(); // SIGTERM to the launcher alone
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isEqualTo(130);
    assertThat(Files.readString(dir.resolve("first.err"))).contains("lab: interrupted; stopped what it had started");
    assertThat(waitFor(() -> ProcessHandle.of(mavenPid).map(p -> !p.isAlive()).orElse(true))).as("Maven stopped")
        .isTrue();
    // the 0-byte jar is now newer than every source: the next start must not trust it
    Files.writeString(dir.resolve("built"), "");
    Process second = launch(home, "second", "--version");
    assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.err"))).isZero();
    assertThat(calls().stream().filter(c -> c.startsWith("mvn "))).as("built again").hasSize(2);
    assertThat(home.resolve("target/concurrency-lab.jar")).hasContent("a jar, built");
    assertThat(calls().get(calls().size() - 1)).endsWith(" --version");
  }
}
