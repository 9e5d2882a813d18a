package io.concurrencylab.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Node processes this process launched, and only those: each is recorded as it starts, and {@link #stopAll} stops
 * exactly the recorded ones (SIGTERM, then SIGKILL after a grace period). Their output goes to a log file each, so
 * nothing here reads pipes, and nobody blocks on a full one.
 */
public final class NodeProcesses {
  private final List<String> jvmFlags;
  private final Path logDir;
  private final boolean appCluster;
  private final List<Node> started = new CopyOnWriteArrayList<>();
  /** Every node this launched, by pid, stopped or not: whose log is whose (a sweep launches at most a few dozen). */
  private final java.util.Map<Long, Node> launched = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Watcher watcher = Watcher.NONE;

  /** Hears what becomes of the nodes launched here: their reports (passed on by whoever hears them) and their exits. */
  public interface Watcher {
    Watcher NONE = new Watcher() {
      @Override
      public void launched(Node node) {}

      @Override
      public void reported(io.vertx.core.json.JsonObject report, Node node) {}

      @Override
      public void exited(Node node) {}
    };

    /** A node's process started (it reports itself once it has joined its cluster), from any thread. */
    void launched(Node node);

    /** A node's own report ({@code bus.NodeMessages.Report}), from any thread. */
    void reported(io.vertx.core.json.JsonObject report, Node node);

    /** A node's process ended, from any thread. */
    void exited(Node node);
  }

  /** A launched node process. */
  public record Node(String name, Process process, Path log) {
    public long pid() {
      return process.pid();
    }
  }

  /** For nodes of a sweep or a compare (throwaway clusters). */
  public NodeProcesses(String jvmFlags, Path logDir) {
    this(jvmFlags, logDir, false);
  }

  private NodeProcesses(String jvmFlags, Path logDir, boolean appCluster) {
    this.jvmFlags = jvmFlags.isBlank() ? List.of() : Arrays.asList(jvmFlags.trim().split("\\s+"));
    this.logDir = logDir;
    this.appCluster = appCluster;
  }

  /** For nodes of the app's cluster ({@code lab cluster start}'s, a serve's): they map an archive of their own. */
  public static NodeProcesses ofAppCluster(String jvmFlags, Path logDir) {
    return new NodeProcesses(jvmFlags, logDir, true);
  }

  /** Starts {@code lab node <args>}, logging to {@code node-<name>.log} (blocking: fork and exec; call it off the event loop). */
  public Node launch(String name, List<String> nodeArgs) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve("node-" + name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Cds.flags(appCluster));
    command.add("-D" + ClusterSettings.CHECKED_DIGEST + "=" + ClusterSettings.checkedDigest());
    // a node logs through NodeLogging, not logback (its javadoc has why); verbosity: no "provider chosen" line
    command.addAll(List.of("-Dslf4j.provider=" + NodeLogging.class.getName(), "-Dslf4j.internal.verbosity=WARN"));
    if (System.getProperty("lab.home") != null) {
      command.add("-Dlab.home=" + System.getProperty("lab.home"));
    }
    command.addAll(jvmFlags); // last: squares.nodeJvmFlags can override any of the above (-Xshare:off, -D...)
    command.addAll(List.of("-jar", jar().toString(), "node"));
    command.addAll(nodeArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    // Fewer malloc arenas: each thread of a small JVM otherwise may get one (RSS, not speed).
    builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    // A node told to watch a pipe from us gets one on stdin; we never write to it, and the kernel closes our end
    // the instant this process dies, however it dies (ParentWatch). Others (lab cluster start) outlive us: no pipe.
    Process process = builder
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(nodeArgs.contains(ParentWatch.PIPE_OPTION) ? ProcessBuilder.Redirect.PIPE
            : ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    Node node = new Node(name, process, log);
    started.add(node);
    launched.put(node.pid(), node);
    watcher.launched(node);
    process.onExit().thenRun(() -> watcher.exited(node));
    return node;
  }

  /** Tells {@code watcher} what becomes of the nodes launched from now on. */
  public NodeProcesses watchedBy(Watcher watcher) {
    this.watcher = watcher;
    return this;
  }

  /** A node's report heard by whoever coordinates it: passed to the watcher when the node is one of ours. */
  public void reported(io.vertx.core.json.JsonObject report) {
    Object pid = report.getValue("pid");
    Node node = pid instanceof Number n ? launched.get(n.longValue()) : null;
    if (node != null) {
      watcher.reported(report, node);
    }
  }

  /** A node launched here (running or not), by pid. */
  public java.util.Optional<Node> launched(long pid) {
    return java.util.Optional.ofNullable(launched.get(pid));
  }

  /** SIGTERM to one node launched here, SIGKILL after {@code graceMs}; completes with whether it had to be killed. */
  public Future<Boolean> stop(Node node, long graceMs) {
    started.remove(node);
    node.process().toHandle().destroy();
    Promise<Boolean> exited = Promise.promise();
    node.process().onExit().orTimeout(graceMs, TimeUnit.MILLISECONDS).whenComplete((p, timeout) -> {
      if (timeout != null) {
        node.process().destroyForcibly();
        node.process().onExit().whenComplete((q, e) -> exited.complete(true));
      } else {
        exited.complete(false);
      }
    });
    return exited.future();
  }

  /** Where the nodes' logs go. */
  public Path logDir() {
    return logDir;
  }

  public List<Node> started() {
    return List.copyOf(started);
  }

  /** SIGTERM to every recorded node still running, SIGKILL to those still there after {@code graceMs}; waits. */
  public Future<Void> stopAll(long graceMs) {
    List<Node> nodes = List.copyOf(started);
    started.clear();
    nodes.forEach(n -> n.process().toHandle().destroy());
    List<Future<Void>> exits = new ArrayList<>();
    for (Node node : nodes) {
      Promise<Void> exited = Promise.promise();
      node.process().onExit().orTimeout(graceMs, TimeUnit.MILLISECONDS).whenComplete((p, timeout) -> {
        if (timeout != null) {
          node.process().destroyForcibly();
          node.process().onExit().whenComplete((q, e) -> exited.complete());
        } else {
          exited.complete();
        }
      });
      exits.add(exited.future());
    }
    return Future.join(exits).mapEmpty();
  }

  /**
   * SIGKILL to every recorded node; completes once each has exited. For the nodes of a sweep, whose cluster is
   * thrown away with them: they hold nothing (lite members, no state), so there is nothing to hand over, and a clean
   * leave of N nodes at once costs seconds (each leave makes every remaining member re-run Vert.x's cluster-wide
   * clean-up of the subscriptions; see docs/results.md). What is left is the kernel's work of ending them.
   */
  public Future<Void> killAll() {
    List<Node> nodes = List.copyOf(started);
    started.clear();
    nodes.forEach(n -> n.process().destroyForcibly());
    List<Future<Void>> exits = new ArrayList<>();
    for (Node node : nodes) {
      Promise<Void> exited = Promise.promise();
      node.process().onExit().whenComplete((p, e) -> exited.complete());
      exits.add(exited.future());
    }
    return Future.join(exits).mapEmpty();
  }

  /**
   * Stops processes that are not this process's children (e.g. the nodes of {@code lab cluster start}, which
   * outlive it), all at once: SIGTERM to each, then waits until every one has exited, polling the process table every
   * {@link #POLL_MS} ms (for a process that is not our child, {@code onExit()} looks only every 300 ms and more);
   * SIGKILL to those still running after {@code graceMs}. Blocking: for plain threads.
   *
   * @return for each process, whether it had to be killed
   */
  public static java.util.Map<ProcessHandle, Boolean> stopAllAndWait(List<ProcessHandle> processes, long graceMs)
      throws InterruptedException {
    java.util.Map<ProcessHandle, Boolean> killed = new java.util.LinkedHashMap<>();
    processes.forEach(p -> {
      killed.put(p, false);
      p.destroy();
    });
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
    while (processes.stream().anyMatch(NodeProcesses::running)) {
      if (System.nanoTime() > deadline) {
        processes.stream().filter(NodeProcesses::running).forEach(p -> {
          killed.put(p, true);
          p.destroyForcibly();
        });
        deadline = Long.MAX_VALUE; // SIGKILL cannot be refused: wait for it
      }
      Thread.sleep(POLL_MS);
    }
    return killed;
  }

  static final long POLL_MS = 10;

  /** Running: alive and not a zombie (an exited process whose parent has not collected it yet). Linux: /proc. */
  static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try { // "pid (comm) S ...": the state follows the last ')', as comm may hold anything
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException gone) {
      return !Files.isDirectory(Path.of("/proc")) && process.isAlive(); // not Linux: trust isAlive
    }
  }

  /** For shutdown hooks: SIGKILL whatever is still running, without waiting. */
  public void killAllNow() {
    started.forEach(n -> n.process().destroyForcibly());
  }

  /** The jar this process runs from ({@code -Dlab.jar} wins, for tests run from classes). */
  public static Path jar() {
    String explicit = System.getProperty("lab.jar");
    if (explicit != null) {
      return Path.of(explicit);
    }
    try {
      Path self = Path.of(NodeProcesses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (self.toString().endsWith(".jar")) {
        return self;
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through
    }
    throw new IllegalStateException("node processes run the packaged jar: build it first (mvn package)");
  }
}
