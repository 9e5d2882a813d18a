package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ClusterMessages;
import io.concurrencylab.bus.ClusterMessages.Member;
import io.concurrencylab.testing.LabProcess;
import io.concurrencylab.testing.Processes;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab cluster start 2 / status / stop} against a member playing serve's part (MembershipVerticle on a
 * clustered Vert.x in this JVM): it sees the nodes join and leave; stop leaves no process and no PID file. In
 * between, {@code lab squares --on-cluster} runs over those two nodes (and, before they are there, says there is none).
 */
class ClusterIT {
  static final Duration CMD = Duration.ofSeconds(120);
  @TempDir
  Path runDir;

  @Test
  void startStatusStop() throws Exception {
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    int port = 5951;
    String[] cluster = {"--set", "cluster.name=" + name, "--set", "cluster.port=" + port, "--set",
        "cluster.runDir=" + runDir};
    ClusterSettings.Clustered serve = new ClusterSettings(name, "127.0.0.1", port, 20, false, "serve")
        .join(new VertxOptions()).await();
    List<ProcessHandle> started = new ArrayList<>();
    try {
      LinkedBlockingQueue<ClusterMessages.Changed> changes = new LinkedBlockingQueue<>();
      serve.vertx().eventBus().<JsonObject>consumer(Addresses.CLUSTER_CHANGED,
          m -> changes.add(ClusterMessages.Changed.fromJson(m.body()))).completion().await();
      serve.vertx().deployVerticle(new MembershipVerticle(serve.manager())).await();
      // serve's table of nodes, on the same member: the nodes of lab cluster start report themselves to it
      LinkedBlockingQueue<JsonObject> tables = new LinkedBlockingQueue<>();
      serve.vertx().eventBus().<JsonObject>consumer(Addresses.NODES_CHANGED, m -> tables.add(m.body()))
          .completion().await();
      serve.vertx().deployVerticle(new NodesVerticle(io.concurrencylab.config.LabConfig.defaults()
          .with("cluster.name", name).with("cluster.port", port).with("cluster.runDir", runDir.toString())
          .with("data.dir", runDir.resolve("data").toString()))).await();
      LinkedBlockingQueue<JsonObject> finished = new LinkedBlockingQueue<>();
      serve.vertx().eventBus().<JsonObject>consumer(Addresses.SQUARES_FINISHED, m -> finished.add(m.body()))
          .completion().await();
      String[] squares = Stream.concat(Stream.of("squares", "--on-cluster", "--to", "100000", "--chunk", "1000",
          "--set", "data.dir=" + runDir.resolve("data")), Stream.of(cluster)).toArray(String[]::new);

      try (LabProcess none = LabProcess.start(squares)) {
        assertThat(none.awaitExit(CMD)).as(none.stderr()).isEqualTo(io.concurrencylab.bus.ExitCodes.FAILURE_REPLY);
        assertThat(none.stderr().strip()).startsWith("lab squares: no squares nodes in cluster '" + name + "'")
            .doesNotContain("\n");
      }

      try (LabProcess start = LabProcess.start(args("cluster", "start", "2", cluster))) {
        assertThat(start.awaitExit(CMD)).as(start.stderr()).isZero();
        assertThat(start.stdoutLines()).anyMatch(l -> l.startsWith("node 1 ready: pid "))
            .anyMatch(l -> l.startsWith("node 2 ready: pid "));
      }
      List<Long> pids = new ArrayList<>();
      for (ClusterRun.Recorded r : new ClusterRun(runDir).recorded()) {
        pids.add(r.pid());
        started.add(ProcessHandle.of(r.pid()).orElseThrow());
      }
      assertThat(pids).hasSize(2);
      for (int i = 0; i < 2; i++) {
        assertThat(nextNodeChange(changes).event()).isEqualTo("joined");
      }
      List<Member> members = ClusterMessages.Members.fromJson(
          serve.vertx().eventBus().<JsonObject>request(Addresses.CLUSTER_MEMBERS, null).await().body()).members();
      assertThat(members).extracting(Member::role).containsExactlyInAnyOrder("serve", "node", "node");
      assertThat(members).extracting(Member::pid).contains(pids.get(0), pids.get(1), ProcessHandle.current().pid());
      // nodes hold data when the cluster needs it (cluster.dataMembers: 2): here the serve and one node
      var hazelcast = serve.manager().getHazelcastInstance().getCluster();
      assertThat(hazelcast.getMembers()).filteredOn(m -> pids.contains(Members.pid(m)))
          .filteredOn(m -> !m.isLiteMember()).as("nodes holding data").hasSize(1);

      // status looks without moving data: it joins as a lite member (a data member took partitions and gave them back)
      List<Boolean> statusJoinedLite = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.UUID watching = hazelcast.addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
        @Override
        public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {
          if ("status".equals(event.getMember().getAttribute(ClusterSettings.ROLE))) {
            statusJoinedLite.add(event.getMember().isLiteMember());
          }
        }

        @Override
        public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {}
      });
      try (LabProcess status = LabProcess.start(args("cluster", "status", cluster))) {
        assertThat(status.awaitExit(CMD)).as(status.stderr()).isZero();
        hazelcast.removeMembershipListener(watching);
        assertThat(statusJoinedLite).as("status joined as a lite member").containsExactly(true);
        assertThat(status.stdoutLines()).contains("recorded node 1: pid " + pids.get(0) + " running, member",
            "recorded node 2: pid " + pids.get(1) + " running, member");
        assertThat(status.stdoutLines()).anyMatch(l -> l.contains(" serve ") && l.contains(serve.nodeId()));
        // which members hold the cluster's data: the serve and one node; the other node would if the cluster needed it
        assertThat(status.stdoutLines()).anyMatch(l -> l.matches(".* serve +yes +\\S+$"));
        assertThat(status.stdoutLines()).filteredOn(l -> l.matches(".* node +yes +\\S+$")).hasSize(1);
        assertThat(status.stdoutLines()).filteredOn(l -> l.matches(".* node +if needed +\\S+$")).hasSize(1);
      }

      // a sweep over the nodes already there: both used, left running, the record announced to the serves
      try (LabProcess sweep = LabProcess.start(squares)) {
        assertThat(sweep.awaitExit(CMD)).as(sweep.stderr()).isZero();
        assertThat(sweep.stdoutLines()).anyMatch(l -> l.startsWith("Cluster size 2: Time taken = "))
            .anyMatch(l -> l.contains("(pid " + pids.get(0) + " at 127.0.0.1,")
                && l.contains("(pid " + pids.get(1) + " at 127.0.0.1,"));
      }
      JsonObject record = finished.poll(30, TimeUnit.SECONDS);
      assertThat(record).as("lab.squares.finished from lab squares --on-cluster").isNotNull();
      assertThat(record.getString("status")).isEqualTo("done");
      assertThat(record.getJsonObject("request").getString("nodes")).isEqualTo("cluster");
      assertThat(started).as("the cluster's nodes are left running").allMatch(ProcessHandle::isAlive);

      // both in serve's table, live, found in the run folder: their log is one request away, timestamped
      JsonObject table = awaitTable(tables, t -> rows(t, "cluster", "live") == 2);
      assertThat(table.getJsonArray("nodes").stream().map(JsonObject.class::cast)
          .filter(r -> r.getString("source").equals("cluster")).map(r -> r.getLong("pid")))
          .containsExactlyInAnyOrderElementsOf(pids);
      JsonObject log = serve.vertx().eventBus().<JsonObject>request(Addresses.NODES_LOG,
          new JsonObject().put("node", pids.get(0))).await().body();
      assertThat(log.getString("text")).containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] "
          + "i\\.c\\.a\\.NodeCommand - node ready: nodeId=");
      assertThat(log.getString("file")).isEqualTo("node-1.log");
      // serve does not stop what lab cluster start owns: it says how
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.vertx.core.eventbus.ReplyException.class,
          () -> serve.vertx().eventBus().request(Addresses.NODES_STOP, new JsonObject().put("node", pids.get(0)))
              .await()))
          .satisfies(e -> assertThat(e.failureCode()).isEqualTo(409))
          .hasMessageContaining("lab cluster stop --node " + pids.get(0));

      // lab cluster stop --node: one node, by pid; the other keeps running; no such node is a usage error
      try (LabProcess stop = LabProcess.start(args("cluster", "stop", "--node", cluster))) {
        assertThat(stop.awaitExit(CMD)).isEqualTo(2);
      }
      try (LabProcess stop = LabProcess.start(args("cluster", "stop", "--node=" + pids.get(0), cluster))) {
        assertThat(stop.awaitExit(CMD)).as(stop.stderr()).isZero();
        assertThat(stop.stdoutLines()).contains("stopped node 1 (pid " + pids.get(0) + ")")
            .anyMatch(l -> l.matches("stopped 1 node \\(\\d+ ms\\)"));
      }
      assertThat(NodeProcesses.running(started.get(0))).isFalse();
      assertThat(NodeProcesses.running(started.get(1))).isTrue();
      awaitTable(tables, t -> rows(t, "cluster", "gone") == 1 && rows(t, "cluster", "live") == 1);
      // the node left holds data now, whichever did before: the cluster is kept at two data members
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (hazelcast.getMembers().stream().noneMatch(m -> Members.pid(m) == pids.get(1) && !m.isLiteMember())
          && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // no event for it
      }
      assertThat(hazelcast.getMembers()).filteredOn(m -> Members.pid(m) == pids.get(1))
          .singleElement().matches(m -> !m.isLiteMember(), "holds data");
      try (LabProcess stop = LabProcess.start(args("cluster", "stop", "--node=12345678", cluster))) {
        assertThat(stop.awaitExit(CMD)).isEqualTo(2);
        assertThat(stop.stderr()).contains("no recorded node 12345678").contains("recorded pids: " + pids.get(1));
      }

      // entries in partitions node 2 owns: it ends at once below, and none may be lost with it
      var instance = serve.manager().getHazelcastInstance();
      com.hazelcast.map.IMap<Integer, Integer> marks = instance.getMap("clusterIT.marks");
      for (int k = 0; k < 1_000; k++) {
        marks.put(k, k);
      }
      long owned = instance.getPartitionService().getPartitions().stream()
          .filter(p -> p.getOwner() != null && Members.pid(p.getOwner()) == pids.get(1)).count();
      assertThat(java.util.stream.IntStream.range(0, 1_000)
          .filter(k -> Members.pid(instance.getPartitionService().getPartition(k).getOwner()) == pids.get(1)))
          .as("keys node 2 owns").isNotEmpty();
      // Hazelcast tells of each partition whose owner went without a hand-over: "lost backup count" 0, its backup
      // promoted. Data is lost beyond that, or, for one map, when that map tells
      java.util.concurrent.CountDownLatch promoted = new java.util.concurrent.CountDownLatch((int) owned);
      java.util.concurrent.atomic.AtomicInteger dataLost = new java.util.concurrent.atomic.AtomicInteger();
      instance.getPartitionService().addPartitionLostListener(e -> {
        if (e.getLostBackupCount() > 0) {
          dataLost.incrementAndGet();
        } else {
          promoted.countDown();
        }
      });
      marks.addPartitionLostListener(e -> dataLost.incrementAndGet());
      // and a writer goes on during the stop: every write it saw done must be there after
      java.util.Set<Integer> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread writer = new Thread(() -> {
        for (int k = 1_000; writing.get() && k < 21_000; k++) {
          try {
            marks.put(k, k);
            written.add(k);
          } catch (RuntimeException e) { // not done: not counted
          }
        }
      }, "clusterIT-writer");
      writer.start();
      try (LabProcess stop = LabProcess.start(args("cluster", "stop", cluster))) {
        assertThat(stop.awaitExit(CMD)).as(stop.stderr()).isZero();
        assertThat(stop.stdoutLines()).contains("stopped node 2 (pid " + pids.get(1) + ")")
            .anyMatch(l -> l.matches("no recorded node left \\(1 stopped in \\d+ ms\\)"));
      } finally {
        writing.set(false);
        writer.join(TimeUnit.SECONDS.toMillis(30));
      }
      assertThat(writer.isAlive()).as("the writer is done").isFalse();
      // exited: a zombie until init reaps it, which isAlive() still counts
      assertThat(started).as("stop waited for the nodes to exit").noneMatch(NodeProcesses::running);
      for (int i = 0; i < 2; i++) {
        // (status came and went in between, as a lite member with role "status")
        assertThat(nextNodeChange(changes).event()).isEqualTo("left");
      }
      try (Stream<Path> files = Files.list(runDir)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".pid"));
      }
      // the serve stayed (StopSet): each node signed out; node 2 held data, backed up on the serve, which stays and
      // takes it over, so node 2 ended at once like a node holding none, and nothing was lost
      for (int i = 1; i <= 2; i++) {
        assertThat(Files.readString(runDir.resolve("node-" + i + ".log"))).contains("node stopped (signed out in ")
            .doesNotContain("nothing is handed over").doesNotContain("ERROR").doesNotContain("Exception");
      }
      assertThat(Files.readString(runDir.resolve("node-2.log")))
          .contains("what it holds backed up on a member that stays: it ends at once, handing nothing over");
      assertThat(promoted.await(30, TimeUnit.SECONDS)).as("Hazelcast told of node 2's partitions").isTrue();
      var keys = java.util.stream.IntStream.range(0, 1_000).boxed().collect(java.util.stream.Collectors.toSet());
      keys.addAll(written);
      assertThat(written).as("writes done during the stop").isNotEmpty();
      assertThat(marks.getAll(keys)).as("entries after node 2 ended")
          .hasSize(keys.size()).allSatisfy((k, v) -> assertThat(v).isEqualTo(k));
      assertThat(dataLost.get()).as("partitions whose data was lost").isZero();
    } finally {
      Processes.stopAll(started);
      serve.vertx().close().await();
    }
  }

  /**
   * No serve, nobody else: lab cluster stop stops the whole cluster, so its nodes hand nothing over and end at once,
   * without an error, leaving no process, PID file or stop set behind.
   */
  /**
   * status with nobody there: its probe, a lite member, holds data for the moment it is alone (Vert.x needs the
   * cluster's maps to join), and says there is nobody.
   */
  @Test
  void statusWithNobodyThereSaysSo() throws Exception {
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    try (LabProcess status = LabProcess.start(args("cluster", "status", new String[] {"--set", "cluster.name=" + name,
        "--set", "cluster.port=6251", "--set", "cluster.runDir=" + runDir}))) {
      assertThat(status.awaitExit(CMD)).as(status.stderr()).isZero();
      assertThat(status.stdoutLines()).containsExactly("no members on cluster " + name + " (port 6251)");
      assertThat(status.stderr()).isEmpty();
    }
  }

  @Test
  void stoppingTheWholeClusterEndsItAtOnce() throws Exception {
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    String[] cluster = {"--set", "cluster.name=" + name, "--set", "cluster.port=6201", "--set",
        "cluster.runDir=" + runDir};
    List<ProcessHandle> started = new ArrayList<>();
    try {
      try (LabProcess start = LabProcess.start(args("cluster", "start", "3", cluster))) {
        assertThat(start.awaitExit(CMD)).as(start.stderr()).isZero();
      }
      for (ClusterRun.Recorded r : new ClusterRun(runDir).recorded()) {
        started.add(ProcessHandle.of(r.pid()).orElseThrow());
      }
      assertThat(started).hasSize(3);
      try (LabProcess stop = LabProcess.start(args("cluster", "stop", cluster))) {
        assertThat(stop.awaitExit(CMD)).as(stop.stderr()).isZero();
        assertThat(stop.stdoutLines()).contains("stopped node 1 (pid " + started.get(0).pid() + ")",
            "stopped node 2 (pid " + started.get(1).pid() + ")", "stopped node 3 (pid " + started.get(2).pid() + ")")
            .anyMatch(l -> l.matches("no recorded node left \\(3 stopped in \\d+ ms\\)"));
        assertThat(stop.stderr()).isEmpty();
      }
      assertThat(started).noneMatch(NodeProcesses::running);
      for (int i = 1; i <= 3; i++) {
        assertThat(Files.readString(runDir.resolve("node-" + i + ".log")))
            .contains("with every member of cluster " + name + " (lab cluster stop stops them all): nobody keeps data, "
                + "so nothing is handed over and it ends at once")
            .doesNotContain("node stopped (signed out").doesNotContain("ERROR").doesNotContain("Exception");
      }
      try (Stream<Path> files = Files.list(runDir)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".pid"))
            .noneMatch(f -> f.startsWith("stopping"));
      }
    } finally {
      Processes.stopAll(started);
    }
  }

  /**
   * Two lab cluster starts (two run folders) in one cluster, no serve: the first's nodes hold the cluster's data, the
   * second's hold none. Stopping the first asks the second's nodes to hold it before they leave: the node registry
   * keeps the second's nodes, where Hazelcast alone would let both data members go at once and the maps end with them.
   */
  @Test
  void theLastDataMembersAskTheNodesThatStayToHoldDataFirst(@TempDir Path otherRunDir) throws Exception {
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    int port = 6261;
    String[] first = {"--set", "cluster.name=" + name, "--set", "cluster.port=" + port, "--set",
        "cluster.runDir=" + runDir};
    String[] second = {"--set", "cluster.name=" + name, "--set", "cluster.port=" + port, "--set",
        "cluster.runDir=" + otherRunDir};
    List<ProcessHandle> started = new ArrayList<>();
    ClusterSettings.Clustered observer = null;
    try {
      List<Long> firstPids = startTwo(first, runDir, started);
      // a lite member that never holds data (no cluster.dataMembers), to look at the cluster's members and maps
      observer = new ClusterSettings(name, "127.0.0.1", port, 20, true, "observer").join(new VertxOptions()).await();
      var members = observer.manager().getHazelcastInstance().getCluster();
      assertThat(members.getMembers()).filteredOn(m -> firstPids.contains(Members.pid(m)))
          .as("the first start's nodes hold data").hasSize(2).noneMatch(m -> m.isLiteMember());

      List<Long> secondPids = startTwo(second, otherRunDir, started);
      assertThat(members.getMembers()).filteredOn(m -> secondPids.contains(Members.pid(m)))
          .as("the second start's nodes hold no data").hasSize(2).allMatch(m -> m.isLiteMember());
      var registry = NodeRegistry.map(observer.vertx()).await();
      assertThat(registry.entries().await().values()).extracting(v -> v.getLong("pid"))
          .containsExactlyInAnyOrderElementsOf(Stream.concat(firstPids.stream(), secondPids.stream()).toList());

      try (LabProcess stop = LabProcess.start(args("cluster", "stop", first))) {
        assertThat(stop.awaitExit(CMD)).as(stop.stderr()).isZero();
      }
      assertThat(started.subList(0, 2)).noneMatch(NodeProcesses::running);
      awaitMembers(members, all -> all.stream().noneMatch(m -> firstPids.contains(Members.pid(m))));
      assertThat(members.getMembers()).filteredOn(m -> secondPids.contains(Members.pid(m)))
          .as("the second start's nodes hold the data now").hasSize(2).noneMatch(m -> m.isLiteMember());
      assertThat(registry.entries().await().values()).extracting(v -> v.getLong("pid"))
          .as("the node registry kept the nodes that stay").containsExactlyInAnyOrderElementsOf(secondPids);
      // both asked when they left together, unless the other's ask had already promoted the nodes that stay
      String firstLogs = Files.readString(runDir.resolve("node-1.log"))
          + Files.readString(runDir.resolve("node-2.log"));
      assertThat(firstLogs).contains("member(s) that stay to hold the cluster's data first")
          .doesNotContain("ERROR").doesNotContain("Exception").doesNotContain("WARN");
      for (int i = 1; i <= 2; i++) {
        assertThat(Files.readString(runDir.resolve("node-" + i + ".log"))).contains("node stopped (signed out in ");
      }

      observer.vertx().close().await();
      observer = null;
      try (LabProcess stop = LabProcess.start(args("cluster", "stop", second))) {
        assertThat(stop.awaitExit(CMD)).as(stop.stderr()).isZero();
        assertThat(stop.stderr()).isEmpty();
      }
      assertThat(started).noneMatch(NodeProcesses::running);
      for (int i = 1; i <= 2; i++) {
        assertThat(Files.readString(otherRunDir.resolve("node-" + i + ".log")))
            .contains("a member that leaves asked this one to hold data: it does now")
            .doesNotContain("ERROR").doesNotContain("Exception");
      }
    } finally {
      Processes.stopAll(started);
      if (observer != null) {
        observer.vertx().close().await();
      }
    }
  }

  /**
   * The member that was to keep the data ends as a stop begins (a lab node here, the cluster's master; a serve
   * stopped then is the same). The member that takes over from it waits up to 5 s for the answer of a member that does
   * not give one (frozen here, right after the master left; a lite node of the stop that ended at once is the same),
   * keeping the member list as it was meanwhile. The stop's data nodes, which would hand their data over to the
   * member still listed, see that nothing listens at its address any more and end at once: they used to wait for
   * that list, and the stop killed them after squares.stopGraceMs. The frozen node is killed, as any node that does
   * not stop.
   */
  @Test
  void aMemberThatWasToKeepTheDataEndingAsTheStopBeginsIsNotWaitedFor() throws Exception {
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    String[] cluster = {"--set", "cluster.name=" + name, "--set", "cluster.port=6301", "--set", "cluster.portCount=6",
        "--set", "cluster.runDir=" + runDir, "--set", "squares.stopGraceMs=3000"};
    List<ProcessHandle> started = new ArrayList<>();
    ProcessHandle frozen = null;
    try (LabProcess master = LabProcess.start(Stream.concat(Stream.of("node"), Stream.of(cluster))
        .toArray(String[]::new))) {
      master.awaitLine(java.util.regex.Pattern.compile("node ready: .* holding data"), CMD);
      started.add(master.handle());
      try (LabProcess start = LabProcess.start(args("cluster", "start", "3", cluster))) {
        assertThat(start.awaitExit(CMD)).as(start.stderr()).isZero();
      }
      java.util.Map<Long, Integer> recorded = new java.util.HashMap<>();
      for (ClusterRun.Recorded r : new ClusterRun(runDir).recorded()) {
        started.add(ProcessHandle.of(r.pid()).orElseThrow());
        recorded.put(r.pid(), r.index());
      }
      // who holds data, oldest first: the master, one node (cluster.dataMembers is 2), then two lite nodes, the older
      // of which the master asks to hold data when it leaves. The younger stays lite: it is the one frozen
      List<com.hazelcast.cluster.Member> members;
      ClusterSettings.Clustered observer = new ClusterSettings(name, "127.0.0.1", 6301, 6, true, "observer")
          .join(new VertxOptions()).await();
      try {
        members = List.copyOf(observer.manager().getHazelcastInstance().getCluster().getMembers());
      } finally {
        observer.vertx().close().await();
      }
      List<com.hazelcast.cluster.Member> nodes = members.stream()
          .filter(m -> recorded.containsKey(Members.pid(m))).toList();
      assertThat(nodes).as("the three nodes: %s", members).hasSize(3);
      assertThat(nodes).filteredOn(m -> !m.isLiteMember()).as("one holds data").hasSize(1);
      com.hazelcast.cluster.Member youngestLite = nodes.stream().filter(com.hazelcast.cluster.Member::isLiteMember)
          .reduce((a, b) -> b).orElseThrow();
      frozen = ProcessHandle.of(Members.pid(youngestLite)).orElseThrow();
      int frozenIndex = recorded.get(frozen.pid());

      master.terminate(); // it leaves gracefully, handing its data to the nodes
      assertThat(master.awaitExit(CMD)).as(master.stderr()).isZero();
      // at once: the oldest node claims mastership only once it has missed the master ~0.3 s, then asks this one too
      assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(frozen.pid())).start().waitFor()).isZero();
      try (LabProcess stop = LabProcess.start(args("cluster", "stop", cluster))) {
        assertThat(stop.awaitExit(CMD)).as(stop.stderr()).isZero();
        List<String> lines = stop.stdoutLines();
        for (var e : recorded.entrySet()) {
          assertThat(lines).as("the nodes that were not frozen stop").contains(e.getKey() == frozen.pid()
              ? "killed node " + e.getValue() + " (pid " + e.getKey() + "): it did not stop within 3000 ms"
              : "stopped node " + e.getValue() + " (pid " + e.getKey() + ")");
        }
      }
      assertThat(started).noneMatch(NodeProcesses::running);
      String dataNodes = "";
      String logs = "";
      for (int i = 1; i <= 3; i++) {
        String log = Files.readString(runDir.resolve("node-" + i + ".log"));
        logs += "node-" + i + ".log:\n" + log;
        assertThat(log).doesNotContain("ERROR").doesNotContain("Exception");
        if (i != frozenIndex && log.contains("handing its data over")) {
          dataNodes += log;
        }
      }
      assertThat(dataNodes).as("the data nodes (the older lite node promoted when the master left); master:%n%s%n%s",
          String.join("\n", master.stdoutLines()), logs)
          .contains("every member that was to stay has ended meanwhile, nothing listens at its address: nobody "
              + "keeps data, so it ends at once");
    } finally {
      if (frozen != null) {
        new ProcessBuilder("kill", "-CONT", Long.toString(frozen.pid())).start().waitFor();
      }
      Processes.stopAll(started);
    }
  }

  /** Ctrl-C or SIGTERM while the nodes start: the ones it launched are stopped and their PID files removed. */
  @Test
  void aSignalWhileStartingStopsTheNodesItLaunched() throws Exception {
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    String[] cluster = {"--set", "cluster.name=" + name, "--set", "cluster.port=6231", "--set",
        "cluster.runDir=" + runDir};
    List<ProcessHandle> started = new ArrayList<>();
    try {
      try (LabProcess start = LabProcess.start(args("cluster", "start", "2", cluster))) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (new ClusterRun(runDir).recorded().size() < 2 && System.nanoTime() < until) {
          java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // polling the folder for both PID files
        }
        for (ClusterRun.Recorded r : new ClusterRun(runDir).recorded()) {
          ProcessHandle.of(r.pid()).ifPresent(started::add);
        }
        assertThat(started).as("both launched").hasSize(2);
        start.terminate();
        assertThat(start.awaitExit(CMD)).as(start.stderr()).isEqualTo(130);
        assertThat(start.stderr()).contains("lab cluster start: SIGTERM, stopping the 2 node(s) it started");
      }
      assertThat(started).noneMatch(NodeProcesses::running);
      try (Stream<Path> files = Files.list(runDir)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".pid"));
      }
    } finally {
      Processes.stopAll(started);
    }
  }

  /** Polls the member list (Hazelcast has no event for a promotion) until {@code test} holds, 30 s at most. */
  /** {@code lab cluster start 2} with these settings: the pids it recorded in its run folder, added to started. */
  private static List<Long> startTwo(String[] settings, Path runDir, List<ProcessHandle> started) throws Exception {
    try (LabProcess start = LabProcess.start(args("cluster", "start", "2", settings))) {
      assertThat(start.awaitExit(CMD)).as(start.stderr()).isZero();
    }
    List<Long> pids = new ArrayList<>();
    for (ClusterRun.Recorded r : new ClusterRun(runDir).recorded()) {
      pids.add(r.pid());
      started.add(ProcessHandle.of(r.pid()).orElseThrow());
    }
    return pids;
  }

  private static void awaitMembers(com.hazelcast.cluster.Cluster cluster,
      java.util.function.Predicate<java.util.Set<com.hazelcast.cluster.Member>> test) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!test.test(cluster.getMembers())) {
      assertThat(System.nanoTime()).as("the member list within 30 s: %s", cluster.getMembers()).isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static long rows(JsonObject table, String source, String state) {
    return table.getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("source").equals(source) && r.getString("state").equals(state)).count();
  }

  /** The first lab.nodes.changed table that satisfies {@code test} (the serve publishes one a second at most). */
  private static JsonObject awaitTable(LinkedBlockingQueue<JsonObject> tables,
      java.util.function.Predicate<JsonObject> test) throws InterruptedException {
    while (true) {
      JsonObject table = tables.poll(30, TimeUnit.SECONDS);
      assertThat(table).as("a lab.nodes.changed table").isNotNull();
      if (test.test(table)) {
        return table;
      }
    }
  }

  private static ClusterMessages.Changed nextNodeChange(LinkedBlockingQueue<ClusterMessages.Changed> changes)
      throws InterruptedException {
    while (true) {
      ClusterMessages.Changed change = changes.poll(30, TimeUnit.SECONDS);
      assertThat(change).as("a lab.cluster.changed event").isNotNull();
      if (change.member().role().equals("node")) {
        return change;
      }
    }
  }

  private static String[] args(String a, String b, String[] rest) {
    return args(a, b, null, rest);
  }

  private static String[] args(String a, String b, String c, String[] rest) {
    List<String> all = new ArrayList<>(List.of(a, b));
    if (c != null) {
      all.add(c);
    }
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }
}
