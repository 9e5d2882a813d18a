package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.SquaresMessages.Lost;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.Phase;
import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.testing.LabProcess;
import io.concurrencylab.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Squares on a real cluster of real node processes (the jar built by mvn package). */
class SquaresIT {
  static final Duration RUN = Duration.ofSeconds(120);
  @TempDir
  Path data;
  private final List<ProcessHandle> toKill = new ArrayList<>();

  @AfterEach
  void noNodeLeft() {
    Processes.stopAll(toKill); // e.g. a SIGSTOPped node
  }

  private LabConfig config() {
    return LabConfig.defaults().with("data.dir", data.toString());
  }

  @Test
  void sizesOneAndTwoComputeTheSquaresInOrderAndKeepOneRecord() throws Exception {
    try (LabProcess lab = LabProcess.start("squares", "--sizes", "1,2", "--to", "10", "--set", "data.dir=" + data)) {
      assertThat(lab.awaitExit(RUN)).as(lab.stderr()).isZero();
      List<String> out = lab.stdoutLines();
      assertThat(out).anyMatch(l -> l.matches("Cluster size 1: Time taken = \\d+\\.\\d{4} seconds"))
          .anyMatch(l -> l.matches("Cluster size 2: Time taken = \\d+\\.\\d{4} seconds"))
          .contains("Results with cluster size 1: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]",
              "Results with cluster size 2: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]");
      assertThat(lab.stderr()).contains("size 2 compute: 10/10 numbers");

      List<RunRecord> history = new RunHistory(data).readAll();
      assertThat(history).hasSize(1);
      RunRecord record = history.get(0);
      assertThat(record.ok()).isTrue();
      assertThat(record.sizes()).extracting(SizeResult::size).containsExactly(1, 2);
      assertThat(record.results().values()).containsExactly(1L, 4L, 9L, 16L, 25L, 36L, 49L, 64L, 81L, 100L);
      SizeResult two = record.sizes().get(1);
      assertThat(two.nodes()).hasSize(2);
      assertThat(two.nodes().stream().mapToLong(n -> n.numbers()).sum()).isEqualTo(10);
      assertThat(two.launchMs() + two.computeMs() + two.teardownMs()).isLessThanOrEqualTo(two.totalMs() + 0.1);
      assertThat(out).contains("run " + record.id() + " kept in the history");
      assertThat(Processes.labNodes(record.id())).as("no node process left").isEmpty();
      assertThat(record.machine().getInteger("cores")).isPositive();
      // a node stopped right after its report has not written "node ready" yet; its log still says who it was
      List<Path> logs;
      try (var files = Files.walk(data.resolve("logs"))) {
        logs = files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
      }
      assertThat(logs).hasSize(3).allSatisfy(log -> assertThat(Files.readString(log)).as(log.toString())
          .containsPattern("node joined: nodeId=\\S+ pid=\\d+"));
    }
  }

  /** A size stopped in launch (its nodes not ready in time) keeps the nodes it launched, without ids. */
  @Test
  void aSizeStoppedInLaunchKeepsTheNodesItLaunched() throws Exception {
    try (LabProcess lab = LabProcess.start("squares", "--sizes", "2", "--to", "10", "--set", "data.dir=" + data,
        "--set", "squares.readyTimeoutMs=1")) {
      assertThat(lab.awaitExit(RUN)).as(lab.stderr()).isNotZero();
      RunRecord record = new RunHistory(data).readAll().get(0);
      assertThat(record.status()).isEqualTo("failed");
      SizeResult two = record.sizes().get(0);
      assertThat(two.stoppedIn()).isEqualTo("launch");
      assertThat(two.nodes()).hasSize(2).allSatisfy(n -> {
        assertThat(n.nodeId()).isNull();
        assertThat(n.pid()).isPositive();
        assertThat(n.chunks()).isZero();
      });
      assertThat(Processes.labNodes(record.id())).as("no node process left").isEmpty();
    }
  }

  /**
   * Nodes are killed, not closed, at a sweep's end: whatever a Vert.x leaves for its close to remove stays. Its cache
   * folder for files from the jar did, one {@code vertx-cache-*} per node and run in /tmp.
   */
  @Test
  void aSweepLeavesNothingInTheTemporaryFolder(@TempDir Path tmp) throws Exception {
    try (LabProcess lab = LabProcess.startWith(List.of(), java.util.Map.of("JAVA_TOOL_OPTIONS",
        "-Djava.io.tmpdir=" + tmp), "squares", "--sizes", "1,2", "--to", "10", "--set", "data.dir=" + data)) {
      assertThat(lab.awaitExit(RUN)).as(lab.stderr()).isZero();
      assertThat(lab.stderr()).contains("-Djava.io.tmpdir=" + tmp); // the JVMs took it ("Picked up ...")
      assertThat(Processes.labNodes(new RunHistory(data).readAll().get(0).id())).isEmpty();
      try (var left = Files.list(tmp)) {
        assertThat(left.map(f -> f.getFileName().toString())).isEmpty();
      }
    }
  }

  /** Runs 1..2,000,000 in small chunks on 2 nodes in this JVM, doing {@code toOneNode} to a node mid-compute. */
  private RunRecord runWhileDoing(Consumer<ProcessHandle> toOneNode, AtomicLong victim) throws Exception {
    return runWhileDoing(toOneNode, victim, 2_000_000, 2_000);
  }

  /** The same over 1..{@code to} in chunks of {@code chunk}. */
  private RunRecord runWhileDoing(Consumer<ProcessHandle> toOneNode, AtomicLong victim, long to, long chunk)
      throws Exception {
    LabConfig config = config();
    RunRequest request = RunRequest.validated(List.of(2), 1, to, chunk, 8, 10_000_000);
    String runId = Sweep.newRunId();
    NodeProcesses processes = new NodeProcesses(config.squaresNodeJvmFlags(), data.resolve("logs"));
    AtomicBoolean done = new AtomicBoolean();
    Consumer<Progress> progress = p -> {
      if (p.phase() == Phase.COMPUTE && p.done() > 0 && !done.getAndSet(true)) {
        ProcessHandle node = processes.started().get(0).process().toHandle();
        victim.set(node.pid());
        toKill.add(node);
        CompletableFuture.runAsync(() -> toOneNode.accept(node)); // not on the coordinator's event loop
      }
    };
    try {
      return new Sweep(config, request, runId, new RunHistory(data), processes, progress).run().await();
    } finally {
      toKill.addAll(Processes.labNodes(runId));
    }
  }

  private static void checkSquares(RunRecord record) throws Exception {
    checkSquares(record, 2_000_000);
  }

  private static void checkSquares(RunRecord record, int count) throws Exception {
    long[] expected = new long[count];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (long) (i + 1) * (i + 1);
    }
    assertThat(record.results().sha256()).isEqualTo(Sweep.results(expected, 1).sha256());
    assertThat(record.results().count()).isEqualTo(count);
    assertThat(record.results().last()).endsWith((long) count * count);
  }

  @Test
  void aNodeKilledMidComputeHasItsChunksRequeuedAndTheRunCompletes() throws Exception {
    AtomicLong victim = new AtomicLong();
    RunRecord record = runWhileDoing(ProcessHandle::destroyForcibly, victim);

    assertThat(record.ok()).as(record.error()).isTrue();
    checkSquares(record);
    SizeResult size = record.sizes().get(0);
    assertThat(size.lost()).extracting(Lost::pid).containsExactly(victim.get());
    assertThat(size.retries()).isPositive().isEqualTo(size.lost().stream().mapToInt(Lost::requeued).sum());
    assertThat(size.nodes()).extracting(n -> n.pid()).doesNotContain(victim.get());
    // what the victim answered before it died is in its lost entry: with the others', every number at least once
    Lost victimLost = size.lost().get(0);
    assertThat(victimLost.chunks()).isNotNegative();
    assertThat(victimLost.numbers() + size.nodes().stream().mapToLong(NodeStats::numbers).sum())
        .isGreaterThanOrEqualTo(2_000_000);
    // on the timeline's axis: every node launched and ready before compute began (0); the victim lost during
    // compute and its process seen to exit then, not at the teardown, which the others reached
    assertThat(size.timeline()).hasSize(2).allSatisfy(t -> {
      assertThat(t.marks().launchMs()).isNegative();
      assertThat(t.marks().readyMs()).isBetween(t.marks().launchMs(), 0.0);
      assertThat(t.marks().stopMs()).isPositive();
      assertThat(t.marks().exitMs()).isNotNull();
    });
    var lost = size.timeline().stream().filter(t -> t.pid() == victim.get()).findFirst().orElseThrow();
    assertThat(lost.lostAtMs()).isPositive();
    assertThat(lost.marks().exitMs()).isPositive().isLessThan(lost.marks().stopMs());
    var kept = size.timeline().stream().filter(t -> t.pid() != victim.get()).findFirst().orElseThrow();
    assertThat(kept.marks().exitMs()).isGreaterThanOrEqualTo(kept.marks().stopMs());
    assertThat(new RunHistory(data).readAll()).hasSize(1);
  }

  @Test
  void aHungNodeDoesNotStallTheRun() throws Exception {
    AtomicLong victim = new AtomicLong();
    RunRecord record = runWhileDoing(node -> signal("STOP", node.pid()), victim);

    assertThat(record.ok()).as(record.error()).isTrue();
    checkSquares(record);
    assertThat(record.sizes().get(0).lost()).extracting(Lost::pid).containsExactly(victim.get());
  }

  /**
   * Large chunks, whose squares the nodes write to the coordinator's result port: a node killed, then one hung,
   * mid-compute. The chunks it had are computed by the other, whether its answers or its squares were missing.
   */
  @Test
  void withTheResultPortAKilledOrHungNodeHasItsChunksRequeuedAndTheRunCompletes() throws Exception {
    for (Consumer<ProcessHandle> toOneNode : List.<Consumer<ProcessHandle>>of(ProcessHandle::destroyForcibly,
        node -> signal("STOP", node.pid()))) {
      AtomicLong victim = new AtomicLong();
      RunRecord record = runWhileDoing(toOneNode, victim, 10_000_000, 4 * Scheduler.PORT_MIN_CHUNK);
      assertThat(record.ok()).as(record.error()).isTrue();
      checkSquares(record, 10_000_000);
      assertThat(record.sizes().get(0).lost()).extracting(Lost::pid).containsExactly(victim.get());
      assertThat(record.sizes().get(0).retries()).isPositive();
    }
  }

  private static void signal(String name, long pid) {
    try {
      new ProcessBuilder("kill", "-" + name, "--", Long.toString(pid)).inheritIO().start().waitFor(); // < 0: a group
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Nodes exit by themselves after a kill -9 of their coordinator: within this, which only a node that watches its
   * parent meets (one that did not would wait for Hazelcast to give up on the coordinator, or forever). Not a timing
   * target: the README's figure (0.2-0.5 s on a quiet machine, 1.1 s once on a loaded one) is what this test prints.
   */
  static final long NODES_GONE_MS = 5_000;

  @Test
  void nodesExitByThemselvesWhenTheCoordinatorIsKilledDuringLaunch() throws Exception {
    killTheCoordinatorAt(Pattern.compile("size 2 launch: 0/2"), "--to", "10");
  }

  @Test
  void nodesExitByThemselvesWhenTheCoordinatorIsKilledMidCompute() throws Exception {
    // the nodes are lite members: the coordinator was the cluster's only data member, so there is nothing to leave
    killTheCoordinatorAt(Pattern.compile("size 2 compute: "), "--to", "10000000", "--chunk", "1000");
  }

  private void killTheCoordinatorAt(Pattern when, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("squares", "--sizes", "2", "--set", "data.dir=" + data));
    command.addAll(List.of(args));
    List<ProcessHandle> nodes;
    long goneMs;
    try (LabProcess lab = LabProcess.start(command.toArray(String[]::new))) {
      lab.awaitErrLine(when, RUN);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      // both children a JVM already: a child still in jspawnhelper when its parent dies never becomes a node at all
      while (lab.handle().children().filter(c -> c.info().command().orElse("").endsWith("java")).count() < 2
          && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // polling the process table, bounded
      }
      nodes = lab.handle().children().toList();
      assertThat(nodes).hasSize(2);
      toKill.addAll(nodes);
      lab.kill();
      goneMs = Processes.msUntilExited(nodes, 15_000);
      lab.awaitExit(Duration.ofSeconds(10));
    }
    System.out.printf("nodes exited %d ms after the coordinator's kill -9 (at %s)%n", goneMs, when);
    assertThat(goneMs).as("ms until every node had exited after the coordinator's kill -9").isBetween(0L, NODES_GONE_MS);
    List<Path> logs;
    try (var files = Files.walk(data.resolve("logs"))) {
      logs = files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
    }
    assertThat(logs).hasSize(2).allSatisfy(log -> assertThat(Files.readString(log)).as(log.toString())
        .contains("parent process").contains("is gone").doesNotContain("Exception"));
  }

  @Test
  void losingEveryNodeIsOneLineAndExitCode3() throws Exception {
    // a wider window: more chunks in flight when the nodes die, more ways for their failures to interleave (with
    // window 8 the old scheduler threw "Promise already completed" in about half the runs)
    List<ProcessHandle> nodes;
    try (LabProcess lab = LabProcess.start("squares", "--sizes", "2", "--to", "10000000", "--chunk", "1000",
        "--set", "squares.window=8", "--set", "data.dir=" + data)) {
      lab.awaitErrLine(Pattern.compile("size 2 compute: "), RUN);
      nodes = lab.handle().children().toList();
      toKill.addAll(nodes);
      assertThat(nodes).hasSize(2);
      nodes.forEach(ProcessHandle::destroyForcibly);

      assertThat(lab.awaitExit(RUN)).as(lab.stderr()).isEqualTo(3);
      assertThat(lab.stderr().lines().filter(l -> l.contains("all nodes were lost"))).as(lab.stderr()).hasSize(1)
          .allMatch(l -> l.startsWith("lab squares: run failed: all nodes were lost (2)"));
      assertThat(lab.stderr()).doesNotContain("Exception").doesNotContainPattern("(?m)^\\s+at ");
      // what it measured before it failed: the size, stopped in compute, its lost nodes with their pids
      assertThat(lab.stdoutLines()).anyMatch(l -> l.matches("\\s+2\\s+\\d+\\.\\d ms.*\\(stopped in compute\\)"))
          .anyMatch(l -> l.contains("lost node pid " + nodes.get(0).pid()))
          .noneMatch(l -> l.startsWith("Cluster size"));
    }
    List<RunRecord> history = new RunHistory(data).readAll();
    assertThat(history).hasSize(1);
    assertThat(history.get(0).error()).startsWith("all nodes were lost (2)");
    assertThat(history.get(0).status()).isEqualTo("failed");
    SizeResult stopped = history.get(0).sizes().get(0);
    assertThat(stopped.stoppedIn()).isEqualTo("compute");
    assertThat(stopped.launchMs()).isPositive();
    assertThat(stopped.computeMs()).isPositive();
    assertThat(stopped.lost()).extracting(Lost::pid).containsExactlyInAnyOrderElementsOf(
        nodes.stream().map(ProcessHandle::pid).toList());
    assertThat(Processes.labNodes(history.get(0).id())).as("no node process left").isEmpty();
  }

  @Test
  void ctrlCStopsTheNodesAndRecordsTheRunAsCancelledWithWhatItMeasured() throws Exception {
    List<ProcessHandle> nodes;
    try (LabProcess lab = LabProcess.start("squares", "--sizes", "2", "--to", "10000000", "--chunk", "1000",
        "--set", "data.dir=" + data)) {
      lab.awaitErrLine(Pattern.compile("size 2 compute: "), RUN);
      nodes = lab.handle().children().toList();
      toKill.addAll(nodes);
      lab.terminate(); // SIGTERM; Ctrl-C (SIGINT) takes the same path
      assertThat(lab.awaitExit(Duration.ofSeconds(30))).isEqualTo(130);
      assertThat(lab.stderr()).contains("lab squares: interrupted, stopping the nodes it started")
          .contains("size 2 teardown: 2/2 nodes stopped").contains("cancelled and recorded");
      assertThat(lab.stdoutLines()).anyMatch(l -> l.contains("(stopped in compute)"));
    }
    assertThat(nodes).hasSize(2).noneMatch(ProcessHandle::isAlive);
    List<RunRecord> history = new RunHistory(data).readAll();
    assertThat(history).hasSize(1);
    assertThat(history.get(0).ok()).isFalse();
    assertThat(history.get(0).status()).isEqualTo("cancelled");
    assertThat(history.get(0).error()).startsWith("cancelled (Ctrl-C or SIGTERM)");
    SizeResult stopped = history.get(0).sizes().get(0);
    assertThat(stopped.stoppedIn()).isEqualTo("compute");
    assertThat(stopped.nodes()).extracting(n -> n.pid()).containsExactlyInAnyOrderElementsOf(
        nodes.stream().map(ProcessHandle::pid).toList());
  }

  /**
   * A real Ctrl-C goes to the terminal's whole process group, the nodes too: they leave it to their coordinator, so
   * the run is cancelled with every node stopped by it, none of them counted as lost.
   */
  @Test
  void aCtrlCToTheWholeProcessGroupCancelsWithNoNodeLost() throws Exception {
    List<ProcessHandle> nodes;
    // setsid: its own process group, as a shell gives a command, so the group's signal does not reach Maven; env
    // --default-signal: SIGINT as a terminal's command has it, even when this build runs as a shell's background job
    // (which ignores SIGINT, and so would lab: a CI run of mine did that, and the run went on to the end)
    try (LabProcess lab = LabProcess.startWith(List.of("env", "--default-signal=INT", "setsid"), java.util.Map.of(),
        "squares", "--sizes", "2",
        "--to", "10000000", "--chunk", "1000", "--set", "data.dir=" + data)) {
      lab.awaitErrLine(Pattern.compile("size 2 compute: "), RUN);
      nodes = lab.handle().children().toList();
      toKill.addAll(nodes);
      signal("INT", -lab.handle().pid()); // the group, as the terminal does
      assertThat(lab.awaitExit(Duration.ofSeconds(30))).as(lab.stderr()).isEqualTo(130);
    }
    assertThat(nodes).hasSize(2).noneMatch(ProcessHandle::isAlive);
    RunRecord record = new RunHistory(data).readAll().get(0);
    assertThat(record.status()).isEqualTo("cancelled");
    SizeResult stopped = record.sizes().get(0);
    assertThat(stopped.stoppedIn()).isEqualTo("compute");
    assertThat(stopped.lost()).as("nodes counted as lost").isEmpty();
    assertThat(stopped.nodes()).extracting(n -> n.pid()).containsExactlyInAnyOrderElementsOf(
        nodes.stream().map(ProcessHandle::pid).toList());
  }

  /**
   * Q6 on purpose: the node that gets the chunk holding 57 throws. The run fails as Pool.map raises, and the
   * caller gets the node's story: the exception's type and message, the node's pid, host and thread, its stack.
   */
  @Test
  void aTaskThatThrowsOnANodeFailsTheRunWithTheNodesStack() throws Exception {
    List<String> printed;
    try (LabProcess lab = LabProcess.start("squares", "--sizes", "1,2", "--to", "100", "--chunk", "10",
        "--fail-at", "57", "--set", "data.dir=" + data)) {
      assertThat(lab.awaitExit(RUN)).as(lab.stderr()).isEqualTo(3);
      assertThat(lab.stderr()).contains("lab squares: run failed: a task failed on a node: ForcedFailure: "
          + "square(57) failed on purpose");
      List<String> out = lab.stdoutLines();
      assertThat(out).anyMatch(l -> l.matches("Task failed on a node \\(size 1, chunk 51\\.\\.60\\): node pid \\d+ at \\S+, "
              + "thread vert\\.x-eventloop-thread-\\d+"))
          .contains("io.concurrencylab.squares.ForcedFailure: square(57) failed on purpose: the run asked for failAt=57")
          .anyMatch(l -> l.startsWith("\tat io.concurrencylab.squares.SquaresNodeVerticle.failAt("));
      printed = out;
    }
    RunRecord record = new RunHistory(data).readAll().get(0);
    assertThat(record.status()).isEqualTo("failed");
    assertThat(record.request().failAt()).isEqualTo(57);
    assertThat(record.sizes()).hasSize(1);
    SizeResult one = record.sizes().get(0);
    assertThat(one.stoppedIn()).isEqualTo("compute");
    assertThat(one.failures()).hasSize(1);
    var failure = one.failures().get(0);
    assertThat(failure.from()).isEqualTo(51);
    assertThat(failure.origin().getString("type")).isEqualTo(ForcedFailure.class.getName());
    assertThat(failure.origin().getLong("pid")).isEqualTo(failure.pid()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(one.nodes()).extracting(n -> n.pid()).contains(failure.pid());
    // named where the record's nodes are (their cluster address), in the record and in the lines printed
    assertThat(failure.host()).isNotNull().isEqualTo(one.nodes().stream().filter(n -> n.pid() == failure.pid())
        .findFirst().orElseThrow().host());
    assertThat(printed).anyMatch(l -> l.contains("node pid " + failure.pid() + " at " + failure.host() + ","));
    assertThat(failure.origin().getJsonArray("stack").getString(0))
        .startsWith("at io.concurrencylab.squares.SquaresNodeVerticle.failAt(");
    assertThat(Processes.labNodes(record.id())).as("no node process left").isEmpty();
  }

  /**
   * lab.squares.cancel on a sweep running in serve's handler: the reply is the record, once every node is stopped;
   * the run is cancelled with the size it completed and the one it was computing; a second cancel is a 409, an
   * unknown run a 404. Progress events say where the run is as a whole (the size's step, the chunks).
   */
  @Test
  void aSweepCancelledOnTheBusStopsItsNodesAndKeepsWhatItMeasured() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    String run = null;
    try {
      vertx.deployVerticle(new SweepVerticle(config())).await();
      CompletableFuture<Progress> computing = new CompletableFuture<>();
      vertx.eventBus().<io.vertx.core.json.JsonObject>consumer(io.concurrencylab.bus.Addresses.SQUARES_PROGRESS, m -> {
        Progress p = Progress.fromJson(m.body());
        if (p.size() == 2 && p.phase() == Phase.COMPUTE && p.done() > 0) {
          computing.complete(p);
        }
      }).completion().await();
      var bus = vertx.eventBus();
      run = bus.<io.vertx.core.json.JsonObject>request(io.concurrencylab.bus.Addresses.SQUARES_START,
          new io.vertx.core.json.JsonObject().put("sizes", new io.vertx.core.json.JsonArray().add(1).add(2))
              .put("to", 10_000_000).put("chunk", 1000)).await().body().getString("run");
      Progress seen = computing.get(RUN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      assertThat(seen.step()).isEqualTo(2);
      assertThat(seen.steps()).isEqualTo(2);
      assertThat(seen.chunksTotal()).isEqualTo(10_000);
      assertThat(seen.chunks()).isPositive().isLessThanOrEqualTo(10_000);
      List<ProcessHandle> nodes = Processes.labNodes(run);
      assertThat(nodes).hasSize(2);
      toKill.addAll(nodes);

      RunRecord record = RunRecord.fromJson(bus.<io.vertx.core.json.JsonObject>request(
          io.concurrencylab.bus.Addresses.SQUARES_CANCEL, new io.vertx.core.json.JsonObject().put("run", run),
          new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(60_000)).await().body());
      assertThat(Processes.labNodes(run)).as("no node process left once the cancel is answered").isEmpty();
      assertThat(record.status()).isEqualTo("cancelled");
      assertThat(record.error()).startsWith("cancelled (on request)");
      assertThat(record.sizes()).extracting(SizeResult::size).containsExactly(1, 2);
      assertThat(record.sizes().get(0).complete()).isTrue();
      assertThat(record.sizes().get(1).stoppedIn()).isEqualTo("compute");
      assertThat(record.sizes().get(1).nodes()).extracting(n -> n.pid()).containsExactlyInAnyOrderElementsOf(
          nodes.stream().map(ProcessHandle::pid).toList());
      assertThat(new RunHistory(data).readAll()).extracting(RunRecord::status).containsExactly("cancelled");

      String again = run;
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.vertx.core.eventbus.ReplyException.class,
          () -> bus.request(io.concurrencylab.bus.Addresses.SQUARES_CANCEL,
              new io.vertx.core.json.JsonObject().put("run", again)).await()).failureCode()).isEqualTo(409);
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.vertx.core.eventbus.ReplyException.class,
          () -> bus.request(io.concurrencylab.bus.Addresses.SQUARES_CANCEL,
              new io.vertx.core.json.JsonObject().put("run", "nope")).await()).failureCode()).isEqualTo(404);
    } finally {
      vertx.close().await();
      if (run != null) {
        toKill.addAll(Processes.labNodes(run));
      }
    }
  }

  @Test
  void badInputIsOneLineAndANonZeroExitAndLaunchesNothing() throws Exception {
    String[][] cases = {
        {"--sizes", "0"}, {"--sizes", "-2"}, {"--sizes", "two"}, {"--sizes", "9"}, {"--from", "5", "--to", "1"},
        {"--chunk", "0"}, {"--to", "20000000"}, {"--from", "-1"}, {"--to", "ten"}, {"--fail-at", "11"}};
    for (String[] args : cases) {
      List<String> command = new ArrayList<>(List.of("squares", "--set", "data.dir=" + data));
      command.addAll(List.of(args));
      try (LabProcess lab = LabProcess.start(command.toArray(String[]::new))) {
        assertThat(lab.awaitExit(RUN)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(lab.stdoutLines()).as(String.join(" ", args)).isEmpty();
        assertThat(lab.stderr().lines().filter(l -> !l.isBlank()).findFirst().orElse(""))
            .as(String.join(" ", args)).isNotBlank().doesNotContain("Exception");
      }
    }
    assertThat(Files.exists(data.resolve("logs"))).as("no node was launched").isFalse();
    assertThat(new RunHistory(data).readAll()).isEmpty();
  }
}
