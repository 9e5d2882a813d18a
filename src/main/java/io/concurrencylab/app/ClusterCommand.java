package io.concurrencylab.app;

import io.concurrencylab.bus.ClusterMessages.Member;
import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.cluster.ClusterRun;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.Members;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.cluster.StopSet;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cluster", mixinStandardHelpOptions = true, version = Main.VERSION, description = "Background nodes on the app's cluster (the one serve joins): "
    + "start N, status, stop. PID files and logs in cluster.runDir.",
    subcommands = {ClusterCommand.Start.class, ClusterCommand.Status.class, ClusterCommand.Stop.class})
final class ClusterCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: start, status or stop");
  }

  static ClusterSettings settings(LabConfig config, String role, boolean lite) {
    return ClusterSettings.app(config, role, lite);
  }

  @Command(name = "start", description = "Start N nodes in the background; returns once all are ready.")
  static final class Start implements Callable<Integer> {
    @Mixin
    ConfigOptions options;
    @Parameters(paramLabel = "N", description = "How many nodes (1 to squares.maxNodes).")
    int count;
    @picocli.CommandLine.Option(names = "--join", paramLabel = "HOST:PORT", split = ",", description = "The nodes "
        + "join through these members on other hosts (repeatable or comma separated), besides this host's range.")
    List<String> join;
    @picocli.CommandLine.Option(names = "--host", description = "Interface the nodes bind and advertise (default: "
        + "cluster.host).")
    String host;

    @Override
    public Integer call() throws Exception {
      LabConfig config = options.load();
      if (count < 1 || count > config.squaresMaxNodes()) {
        throw new IllegalArgumentException("N takes a whole number from 1 to " + config.squaresMaxNodes()
            + " (squares.maxNodes), got " + count);
      }
      ClusterRun run = new ClusterRun(config.clusterRunDir());
      if (Files.exists(run.dir()) && !Files.isDirectory(run.dir())) { // before any node is launched
        throw new IllegalArgumentException("cluster.runDir " + run.dir() + " is not a folder, so no PID file or log "
            + "can go there; move that file away or set cluster.runDir");
      }
      io.concurrencylab.config.Folders.create(run.dir(), "cluster.runDir");
      String notHere = ClusterSettings.notLocal(host != null ? host : config.clusterHost());
      if (notHere != null) { // each node would find it out itself, after a JVM's start and with a log left behind
        throw new IllegalArgumentException(notHere);
      }
      NodeProcesses processes = NodeProcesses.ofAppCluster(config.squaresNodeJvmFlags(), run.dir());
      ClusterSettings cluster = settings(config, "node", false).joining(join);
      List<String> args = new ArrayList<>(cluster.nodeArgs(host, config.clusterDataMembers()));
      args.addAll(List.of(NodeCommand.STOP_SET_OPTION, run.stopSet().toString())); // how stop tells them who goes too
      int first = run.nextIndex();
      run.removeOldLogs(first); // an earlier, larger start's, which these would not overwrite
      List<NodeProcesses.Node> nodes = new ArrayList<>();
      // Ctrl-C or SIGTERM before every node is ready: the nodes started so far are stopped, not left running
      Lifecycle lifecycle = new Lifecycle();
      for (int i = first; i < first + count; i++) {
        NodeProcesses.Node node = processes.launch(Integer.toString(i), args);
        run.record(i, node.pid());
        nodes.add(node);
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.squaresReadyTimeoutMs());
      for (int i = 0; i < nodes.size(); i++) {
        int index = first + i;
        Optional<String> id;
        // the node writes "node ready" to its log once it serves; poll the log (it is a file, not our pipe)
        while ((id = run.readyNodeId(index)).isEmpty()) {
          String signal = lifecycle.await(Duration.ZERO);
          if (signal != null) {
            System.err.println("lab cluster start: " + signal + ", stopping the " + nodes.size()
                + " node(s) it started");
            processes.stopAll(config.squaresStopGraceMs()).await();
            nodes.forEach(n -> deleteQuietly(run, n));
            return ExitCodes.INTERRUPTED;
          }
          if (!nodes.get(i).process().isAlive() || System.nanoTime() > deadline) {
            System.err.println("lab cluster start: node " + index + " did not become ready" + lastLine(run, index)
                + " (log: " + run.log(index) + "); stopping the nodes just started");
            boolean misconfigured = !nodes.get(i).process().isAlive()
                && nodes.get(i).process().exitValue() == ExitCodes.USAGE; // e.g. --join found nobody: say so
            processes.stopAll(config.squaresStopGraceMs()).await();
            nodes.forEach(n -> deleteQuietly(run, n));
            return misconfigured ? ExitCodes.USAGE : ExitCodes.UNEXPECTED;
          }
          lifecycle.await(Duration.ofMillis(100)); // polling a file (product code), or a signal
        }
        System.out.println("node " + index + " ready: pid " + nodes.get(i).pid() + ", node id " + id.get());
      }
      long running = run.contents().nodes().stream().filter(ClusterRun.Recorded::alive).count();
      System.out.println(count + " node(s) started; " + running + " running on cluster " + cluster.name()
          + "; logs and PID files in " + run.dir());
      return ExitCodes.OK;
    }

    /** What a node that gave up said last (a join error is one line): ": ..." or nothing. */
    private static String lastLine(ClusterRun run, int index) {
      try {
        List<String> lines = Files.readAllLines(run.log(index)).stream().filter(l -> l.startsWith("lab")).toList();
        return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
      } catch (Exception e) {
        return "";
      }
    }

    private static void deleteQuietly(ClusterRun run, NodeProcesses.Node node) {
      try {
        Files.deleteIfExists(run.pidFile(Integer.parseInt(node.name())));
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  /** A PID file no process can be told from: said, and left for the user (whatever it names is not signalled). */
  static String damaged(ClusterRun.Damaged d) {
    return "recorded node " + d.index() + ": its PID file " + d.pidFile() + " cannot be read (" + d.reason()
        + "); no process is signalled for it, and the file is left for you to look at and remove";
  }

  @Command(name = "status", description = "The cluster's members (node id, pid, role, uptime: serve, nodes, ...) "
      + "and the recorded PIDs. Joins the cluster for a moment to read the member list.")
  static final class Status implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
      LabConfig config = options.load();
      ClusterRun run = new ClusterRun(config.clusterRunDir());
      ClusterRun.Contents contents = run.contents();
      List<ClusterRun.Recorded> recorded = contents.nodes();
      // Join just long enough to read the member list: a lite member that moves no data, holding it only when
      // nobody does (then the list is just this probe, or --lite nodes)
      ClusterSettings.Clustered probe = settings(config, "status", true)
          .joinBriefly(ClusterSettings.withoutJarFiles(new VertxOptions()), config.clusterDataMembers()).await();
      try {
        var hazelcastMembers = probe.manager().getHazelcastInstance().getCluster().getMembers();
        List<Member> members = Members.all(hazelcastMembers);
        if (members.size() == 1) {
          System.out.println("no members on cluster " + config.clusterName() + " (port " + config.clusterPort() + ")");
        } else {
          printMembers(hazelcastMembers, probe.nodeId());
          System.out.println(owner(probe, members));
        }
        java.util.Map<Long, Integer> first = new java.util.HashMap<>();
        for (ClusterRun.Recorded r : recorded) {
          boolean member = members.stream().anyMatch(m -> m.pid() == r.pid());
          Integer same = first.putIfAbsent(r.pid(), r.index());
          System.out.println("recorded node " + r.index() + ": pid " + r.pid() + (same != null
              ? ", the same as node " + same + " (a copied PID file; lab cluster stop removes it)"
              : r.alive() ? member ? " running, member" : " running, not a member (yet?)"
              : r.reused() ? " is another process now, not a lab node (stale PID file; lab cluster stop removes it)"
              : " DEAD (stale PID file; lab cluster stop removes it)"));
        }
        contents.damaged().forEach(d -> System.out.println(damaged(d)));
      } finally {
        Lifecycle.stopAndClose(probe.vertx(), io.vertx.core.Future::succeededFuture, Duration.ofSeconds(10));
      }
      return ExitCodes.OK;
    }

    /** Who owns the list, as the serves answer lab.list.owner (the owner's own answer, or a voter's view). */
    static String owner(ClusterSettings.Clustered probe, List<Member> members) {
      if (members.stream().noneMatch(m -> m.role().equals("serve"))) {
        return "list owner: none (no serve in the cluster: the list lives in serves)";
      }
      try {
        var info = io.concurrencylab.bus.ListMessages.OwnerInfo.fromJson(probe.vertx().eventBus()
            .<io.vertx.core.json.JsonObject>request(io.concurrencylab.bus.Addresses.LIST_OWNER, null,
                new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(5_000)).await().body());
        if (info.owner() == null) {
          return "list owner: none yet (epoch " + info.epoch() + "; a serve is failing over or has no majority)";
        }
        Member owner = members.stream().filter(m -> info.owner().equals(m.nodeId())).findFirst().orElse(null);
        return "list owner: " + info.owner() + (owner == null ? " (not a member any more)"
            : " (pid " + owner.pid() + ", " + owner.host() + ")") + ", epoch " + info.epoch() + ", "
            + info.voters().size() + " voter(s)";
      } catch (Exception e) {
        return "list owner: unknown (no answer to " + io.concurrencylab.bus.Addresses.LIST_OWNER + ": "
            + e.getMessage() + ")";
      }
    }

    /** The members but this probe, with whether each holds the cluster's data ({@link Members#holdsData}). */
    private static void printMembers(java.util.Set<com.hazelcast.cluster.Member> members, String self) {
        System.out.printf("%-38s %8s  %-16s %-8s %-9s  %s%n", "node id", "pid", "host", "role", "data", "uptime");
        for (var hazelcast : members) {
          Member m = Members.of(hazelcast);
          if (!m.nodeId().equals(self)) {
            System.out.printf("%-38s %8d  %-16s %-8s %-9s  %s%n", m.nodeId(), m.pid(), m.host(), m.role(),
                Members.holdsData(hazelcast),
                Duration.ofMillis(m.uptimeMs()).withNanos(0).toString().substring(2).toLowerCase());
          }
        }
    }
  }

  @Command(name = "stop", description = "Stop exactly the recorded nodes, or one of them with --node (SIGTERM, "
      + "SIGKILL after squares.stopGraceMs).")
  static final class Stop implements Callable<Integer> {
    @Mixin
    ConfigOptions options;
    @picocli.CommandLine.Option(names = "--node", paramLabel = "ID|PID|N", description = "Stop only this recorded "
        + "node: its node id (as status shows it), its pid, or its number (node N, as start and status name it).")
    String node;

    @Override
    public Integer call() throws Exception {
      LabConfig config = options.load();
      ClusterRun run = new ClusterRun(config.clusterRunDir());
      ClusterRun.Contents contents = run.contents();
      List<ClusterRun.Recorded> recorded = contents.nodes();
      contents.damaged().forEach(d -> System.err.println(damaged(d)));
      if (node != null) {
        List<ClusterRun.Recorded> all = recorded;
        List<ClusterRun.Recorded> named = recorded.stream().filter(r -> node.equals(Long.toString(r.pid()))
            || r.nodeId().map(node::equals).orElse(false)).toList();
        // else its number: "node 1" in start's and status's lines (a pid or node id, when one matches, wins)
        recorded = !named.isEmpty() ? named
            : recorded.stream().filter(r -> node.equals(Integer.toString(r.index()))).toList();
        if (recorded.isEmpty()) {
          throw new IllegalArgumentException("no recorded node " + node + " in " + run.dir() + " (recorded pids: "
              + (all.isEmpty() ? "none" : all.stream().map(r -> Long.toString(r.pid())).collect(
                  java.util.stream.Collectors.joining(", "))) + ")");
        }
      }
      // all at once; and each node knows who goes with it: when that is its whole cluster, it ends without
      // handing its data to members that are leaving too (StopSet)
      // one process per pid, however many PID files name it (a copied file)
      List<ClusterRun.Recorded> alive = recorded.stream().filter(ClusterRun.Recorded::alive)
          .filter(distinct(ClusterRun.Recorded::pid)).toList();
      long start = System.nanoTime();
      java.util.Map<ProcessHandle, Boolean> killed;
      if (alive.isEmpty()) { // nothing to signal, nobody to tell who goes
        killed = java.util.Map.of();
        // the set a killed stop left behind goes (it decides nothing: StopSet trusts no set whose stop is gone)
        if (StopSet.read(run.stopSet()).filter(set -> !set.stopperRunning()).isPresent()) {
          deleteQuietly(run.stopSet());
        }
      } else {
        try {
          try {
            StopSet.write(run.stopSet(), alive.stream().map(ClusterRun.Recorded::pid).toList());
          } catch (java.io.IOException e) { // the nodes then leave gracefully, as when someone stays: slower, no harm
            System.err.println("lab cluster stop: cannot write " + run.stopSet() + " (" + e + "); the nodes leave "
                + "gracefully, handing their data to each other");
          }
          killed = NodeProcesses.stopAllAndWait(alive.stream().flatMap(r -> ProcessHandle.of(r.pid()).stream())
              .toList(), config.squaresStopGraceMs());
        } finally {
          deleteQuietly(run.stopSet());
        }
      }
      java.util.Map<Long, Integer> first = new java.util.HashMap<>();
      for (ClusterRun.Recorded r : recorded) {
        Boolean forced = killed.entrySet().stream().filter(e -> e.getKey().pid() == r.pid())
            .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
        Integer same = first.putIfAbsent(r.pid(), r.index());
        if (same != null) {
          System.out.println("node " + r.index() + " (pid " + r.pid() + ") is the same process as node " + same);
        } else if (forced == null) {
          System.out.println("node " + r.index() + " (pid " + r.pid() + ") " + r.notRunning());
        } else if (forced) {
          System.out.println("killed node " + r.index() + " (pid " + r.pid() + "): it did not stop within "
              + config.squaresStopGraceMs() + " ms");
        } else {
          System.out.println("stopped node " + r.index() + " (pid " + r.pid() + ")");
        }
        Files.deleteIfExists(r.pidFile());
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.println(recorded.isEmpty() ? "no nodes recorded in " + run.dir() : node != null
          ? (alive.isEmpty() ? "nothing to stop; its PID file is removed" : "stopped 1 node (" + ms + " ms)")
          : "no recorded node left" + (alive.isEmpty() ? "" : " (" + alive.size() + " stopped in " + ms + " ms)")
          + (contents.damaged().isEmpty() ? "" : "; " + contents.damaged().size() + " unreadable PID file(s) left"));
      return ExitCodes.OK;
    }

    /** A filter that keeps the first element of each key. */
    private static <T> java.util.function.Predicate<T> distinct(java.util.function.Function<T, Object> key) {
      java.util.Set<Object> seen = new java.util.HashSet<>();
      return t -> seen.add(key.apply(t));
    }

    private static void deleteQuietly(java.nio.file.Path file) {
      try {
        Files.deleteIfExists(file);
      } catch (java.io.IOException e) { // e.g. a folder in its place: never read as a set (StopSet.read)
        System.err.println("lab cluster stop: cannot remove " + file + " (" + e + ")");
      }
    }
  }
}
