package io.concurrencylab.app;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.SquaresMessages.Ready;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.NodeRegistry;
import io.concurrencylab.cluster.ParentWatch;
import io.concurrencylab.cluster.StopSet;
import io.concurrencylab.compare.CompareNodeVerticle;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.squares.SquaresNodeVerticle;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "node", description = "One clustered node in the foreground: joins the cluster (the app's, unless "
    + "told otherwise) and computes squares for whoever coordinates. Ctrl-C/SIGTERM leaves the cluster cleanly.")
final class NodeCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--cluster-name", description = "Cluster to join (default: cluster.name).")
  String clusterName;
  @Option(names = "--host", description = "Interface to bind and advertise (default: cluster.host).")
  String host;
  @Option(names = "--port", description = "First Hazelcast port of the cluster (default: cluster.port).")
  Integer port;
  @Option(names = "--port-count", description = "How many ports from --port the cluster may use (default: cluster.portCount).")
  Integer portCount;
  @Option(names = "--members", paramLabel = "HOST:PORT", split = ",", description = "Ask only these members when "
      + "joining, instead of every port of the range (sweeps set it: their coordinator and the ports after it).")
  java.util.List<String> members;
  @Option(names = "--join", paramLabel = "HOST:PORT", split = ",", description = "Join the cluster through these "
      + "members on other hosts (repeatable, or comma separated; HOST alone: port --port), besides this host's own "
      + "range; finding nobody there is an error. Also cluster.join (without --cluster-name).")
  java.util.List<String> join;
  @Option(names = "--event-bus-port-offset", paramLabel = "N", description = "The event bus listens on this "
      + "member's Hazelcast port + N (default: cluster.eventBusPortOffset, or 0 with --cluster-name; 0: any free "
      + "port).")
  Integer eventBusPortOffset;
  @Option(names = "--lite", description = "Join as a Hazelcast lite member (holds no data; joins and leaves move nothing).")
  boolean lite;
  @Option(names = "--data-members", paramLabel = "N", description = "Join as a lite member, and become a data member "
      + "when the cluster has fewer than N (default: cluster.dataMembers on the app's cluster; lab cluster start "
      + "sets it). Not with --lite.")
  Integer dataMembers;
  @Option(names = "--role", defaultValue = "node", description = "What this member is, shown by cluster status (default: node).")
  String role;
  // these two are acted on by watchParent, before picocli parses them; declared here to be accepted and documented
  @Option(names = "--parent-pid", description = "Exit when this process is gone (set by whoever launches the node).")
  Long parentPid;
  @Option(names = ParentWatch.PIPE_OPTION, description = "With --parent-pid: stdin is a pipe from the parent, whose "
      + "end means the parent is gone (noticed at once, even after a kill -9).")
  boolean parentPipe;
  @Option(names = "--report-ready", description = "Tell the sweep coordinator on this cluster once serving.")
  boolean reportReady;
  @Option(names = "--compare", description = "Also run lab compare's tasks, and tell its coordinator on this "
      + "cluster once serving (set by lab compare).")
  boolean compare;
  @Option(names = "--ready-timeout-ms", description = "With --report-ready: how long to wait for the coordinator to "
      + "take the report (default: squares.readyTimeoutMs).")
  Long readyTimeoutMs;
  /** Set by lab cluster start: the file lab cluster stop lists the nodes in that it stops together. */
  static final String STOP_SET_OPTION = "--stop-set";
  @Option(names = STOP_SET_OPTION, paramLabel = "FILE", hidden = true, description = "On SIGTERM, the nodes stopped "
      + "together are listed here (lab cluster start sets it): with the whole cluster among them, nothing is handed "
      + "over and this node ends at once.")
  java.nio.file.Path stopSet;
  @Option(names = "--exit-when-ready", hidden = true,
      description = "Stop as soon as ready: the launcher's class-data-sharing training run.")
  boolean exitWhenReady;

  @Override
  public Integer call() throws Exception {
    check();
    // a node read by parseQuickly has every value it needs on its command line, and no configuration to load
    LabConfig config = options == null ? null : options.load();
    // a node of the app's cluster holds data when the cluster needs it (JoiningManager); --lite: never
    int keepData = lite ? 0 : dataMembers != null ? dataMembers : appCluster(config) ? config.clusterDataMembers() : 0;
    ClusterSettings settings = new ClusterSettings(clusterName != null ? clusterName : config.clusterName(),
        host != null ? host : config.clusterHost(), port != null ? port : config.clusterPort(),
        portCount != null ? portCount : config.clusterPortCount(), lite || keepData > 0, role, members,
        java.util.List.of(),
        eventBusPortOffset != null ? eventBusPortOffset : appCluster(config) ? config.clusterEventBusPortOffset() : 0)
        .joining(appCluster(config) ? config.clusterJoin() : java.util.List.of()).joining(join);
    // (parseQuickly insists on --ready-timeout-ms only with --report-ready: a node without it never reads this)
    long readyTimeout = readyTimeoutMs != null ? readyTimeoutMs
        : config != null ? config.squaresReadyTimeoutMs() : LabConfig.defaults().squaresReadyTimeoutMs();
    Lifecycle lifecycle = new Lifecycle();
    if (parentPid != null) {
      // Its parent owns it: a Ctrl-C in their terminal reaches both (one process group), and it is the parent's to
      // act on (it cancels, stops its nodes and records why). A node that left on its own too was recorded as lost.
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
    }
    long joinStart = System.nanoTime();
    // a node's work is one verticle: one event loop (fewer threads to start; 8 nodes formed ~0.4 s sooner)
    ClusterSettings.Clustered node;
    try {
      node = settings.join(ClusterSettings.withoutJarFiles(new VertxOptions().setEventLoopPoolSize(1)),
          java.util.Map.of(), keepData).await();
    } catch (ClusterSettings.HoldDataException e) { // the cluster could not take it now: not a usage error
      System.err.println("lab node: " + e.getMessage());
      return io.concurrencylab.bus.ExitCodes.UNEXPECTED;
    }
    long joinMs = (System.nanoTime() - joinStart) / 1_000_000;
    var vertx = node.vertx();
    io.concurrencylab.cluster.SplitWatch.start(node.manager(), () -> lifecycle.requestStop(ServeCommand.MEMBER_LOST));
    vertx.exceptionHandler(io.concurrencylab.cluster.UnhandledExceptions::handle); // Vert.x's noise when a peer dies
    String advertised = node.manager().getHazelcastInstance().getCluster().getLocalMember().getAddress().getHost();
    Future<?> started = vertx.deployVerticle(new SquaresNodeVerticle(node.nodeId(), role, advertised));
    if (!lite) { // a lite member holds no data: sweep nodes skip the registry, which lives on data members
      started = started.compose(id -> NodeRegistry.signIn(vertx, node.nodeId(), role,
          () -> say("node signing in (waiting for the cluster lock " + NodeRegistry.LOCK + ")")));
    }
    if (compare) {
      started = started.compose(id -> vertx.deployVerticle(new CompareNodeVerticle(node.nodeId(),
          readyTimeout)));
    }
    if (reportReady) {
      // a coordinator may take the report, use this node and stop it before "node ready" below is written: this
      // line is what its log then shows
      say("node joined: nodeId=" + node.nodeId() + " pid=" + ProcessHandle.current().pid() + " (joining the "
          + "cluster " + joinMs + " ms); reporting ready to the coordinator");
      Ready ready = new Ready(node.nodeId(), ProcessHandle.current().pid());
      started = started.compose(id -> vertx.eventBus().request(Addresses.SQUARES_READY, ready.toJson(),
          new DeliveryOptions().setSendTimeout(readyTimeout)));
    }
    try {
      started.await();
    } catch (Exception e) {
      say("node failed to start: " + e.getMessage());
      Lifecycle.stopAndClose(vertx, Future::succeededFuture, Duration.ofSeconds(5));
      return io.concurrencylab.bus.ExitCodes.UNEXPECTED;
    }
    ProcessHandle.Info self = ProcessHandle.current().info(); // (not the JMX beans: their start costs a node ~40 ms)
    var hazelcast = node.manager().getHazelcastInstance().getCluster();
    say("node ready: nodeId=" + node.nodeId() + " pid=" + ProcessHandle.current().pid() + " cluster="
        + settings.name() + " role=" + role + " (" + self.totalCpuDuration().map(d -> d.toMillis() + " ms CPU, ")
        .orElse("") + "joining the cluster " + joinMs + " ms) address=" + hazelcast.getLocalMember().getAddress()
        + " members=" + hazelcast.getMembers().size() + (lite ? "" : hazelcast.getLocalMember().isLiteMember()
        ? " holding no data (a lite member; " + hazelcast.getMembers().stream().filter(m -> !m.isLiteMember()).count()
            + " member(s) hold the cluster's data)" : " holding data"));
    if (exitWhenReady) {
      lifecycle.requestStop("--exit-when-ready");
    }
    String why = lifecycle.await(null);
    // read once: eight nodes stopped together share two cores, and each read also asks the system about the stopper
    java.util.Optional<StopSet> set = stopSet == null ? java.util.Optional.empty()
        : StopSet.read(stopSet).filter(StopSet::stopperRunning);
    if (leavesWithWholeCluster(set, hazelcast)) {
      say("node stopping (" + why + ") with every member of cluster " + settings.name() + " (lab cluster stop stops "
          + "them all): nobody keeps data, so nothing is handed over and it ends at once");
      System.out.flush();
      ParentWatch.killSelf();
    }
    say("node stopping (" + why + ")");
    long stopStart = System.nanoTime();
    var stoppedWithIt = stoppedWithIt(set, hazelcast);
    node.stopping(stoppedWithIt);
    boolean split = ServeCommand.MEMBER_LOST.equals(why);
    boolean holdsData = !hazelcast.getLocalMember().isLiteMember(); // for good: no promotion once stopping
    boolean byClusterStop = set.filter(s -> s.pids().contains(ProcessHandle.current().pid())).isPresent();
    if (!holdsData && !split && !byClusterStop) {
      return leaveHoldingNoData(node, stopStart);
    }
    // the sign-out and the checks of whether it may end at once run side by side (the checks wait on Hazelcast's
    // answers, the sign-out on the registry's); it ends only once signed out, its write backed up like any other
    Future<Long> signingOut = lite ? Future.succeededFuture(stopStart) : signOut(node);
    if (!split && byClusterStop) {
      var mustLeave = node.whyItMustLeave();
      long signedOut = signingOut.await();
      if (mustLeave.isEmpty()) {
        // lab cluster stop only waits for it to exit. The members that stay see it go as they see a leave (Hazelcast
        // removes a member once it cannot reconnect), and promote the backups of what it held
        say("node stopped (" + (lite ? "" : "signed out in " + (signedOut - stopStart) / 1_000_000 + " ms, ")
            + (holdsData ? "what it holds backed up on a member that stays" : "holding no data")
            + ": it ends at once, handing nothing over)");
        System.out.flush();
        ParentWatch.killSelf();
      }
      say("node stopping: it leaves the cluster, handing its data over (" + mustLeave.get() + ")");
    }
    long signedOut = signingOut.await();
    Waited wait = awaitLiteMembersStoppedWithIt(hazelcast, stoppedWithIt);
    if (wait == Waited.NOBODY_STAYS) {
      say("node stopped (signed out in " + (signedOut - stopStart) / 1_000_000 + " ms; every member that was to stay "
          + "has ended meanwhile, nothing listens at its address: nobody keeps data, so it ends at once)");
      System.out.flush();
      ParentWatch.killSelf();
    }
    long waited = wait == Waited.NONE ? 0 : System.nanoTime() - signedOut;
    long leaveStart = System.nanoTime();
    Lifecycle.stopAndClose(vertx, Future::succeededFuture, Duration.ofSeconds(10));
    say("node stopped (signed out in " + (signedOut - stopStart) / 1_000_000 + " ms, " + (waited > 0 ? "waited "
        + waited / 1_000_000 + " ms for the lite members stopped with it to leave, " : "") + "left the cluster in "
        + (System.nanoTime() - leaveStart) / 1_000_000 + " ms)");
    return ServeCommand.MEMBER_LOST.equals(why) ? io.concurrencylab.bus.ExitCodes.UNEXPECTED : 0;
  }

  /**
   * The stop of a lite member, which holds no partitions, by a signal not from {@code lab cluster stop} (which only
   * waits for it to exit, so it ends at once instead): it signs out, leaves the cluster (Hazelcast's graceful
   * leave, which hands nothing over) and exits, without Vert.x's close. That close removes the node's subscriptions
   * from the cluster one by one and takes back its listeners from every member, while the members that stay remove
   * what a member that left had registered anyway (Vert.x's clean-up after any member that goes); with eight nodes
   * stopped together, each also waited for its clean-up after the seven others.
   */
  private int leaveHoldingNoData(ClusterSettings.Clustered node, long stopStart) {
    long signedOut = lite ? stopStart : signOut(node).await(); // a sweep's node (--lite) never signed in
    String left;
    try {
      node.leave().await(10, java.util.concurrent.TimeUnit.SECONDS);
      left = "left the cluster in " + (System.nanoTime() - signedOut) / 1_000_000 + " ms";
    } catch (Exception e) { // (a timeout included) it goes anyway: the others see its connections close
      left = "did not leave the cluster cleanly (" + e + "), ending anyway";
    }
    say("node stopped (" + (lite ? "" : "signed out in " + (signedOut - stopStart) / 1_000_000 + " ms, ") + left
        + ", holding no data: nothing to hand over)");
    return 0;
  }

  /**
   * Takes this node out of {@link NodeRegistry}: done or given up within 3 s, never failed. Gives when that was
   * ({@link System#nanoTime}).
   */
  private static Future<Long> signOut(ClusterSettings.Clustered node) {
    return NodeRegistry.signOut(node.vertx(), node.nodeId()).timeout(3, java.util.concurrent.TimeUnit.SECONDS)
        .otherwiseEmpty().map(done -> System.nanoTime());
  }

  /** The members the {@code lab cluster stop} that wrote {@code set}, still running, stops with this node. */
  private static java.util.function.Predicate<com.hazelcast.cluster.Member> stoppedWithIt(
      java.util.Optional<StopSet> set, com.hazelcast.cluster.Cluster cluster) {
    String self = io.concurrencylab.cluster.Members.of(cluster.getLocalMember()).host();
    return m -> set.isPresent() && set.get().stopsToo(self, io.concurrencylab.cluster.Members.of(m));
  }

  /** How {@link #awaitLiteMembersStoppedWithIt} ended. */
  enum Waited { NONE, GONE, TIMED_OUT, NOBODY_STAYS }

  /**
   * A data member stopped together with lite members (one {@code lab cluster stop}, {@link StopSet}) hands its
   * partitions over once they have left: each change of the member list during the hand-over makes Hazelcast plan it
   * again. One data node and one lite node stopped together took 1.2 s so, the data node alone 0.33 s. At most 5 s.
   * <p>Meanwhile the members it would hand over to may end too: a serve stopped as the stop begins is still listed
   * while the member that takes over from it (the master) asks every member for its list, and waits up to 5 s for
   * the answer of a lite node that ended at once meanwhile, with the list kept as it was, so no departure is seen (a
   * stop then killed its data nodes). So it also looks, every 100 ms, whether anything still listens at the address of
   * each member that was to stay ({@link io.concurrencylab.cluster.Members#ended}): when none does, nobody is left to
   * hand over to.
   *
   * @return {@code NONE} when there were none to wait for
   */
  private static Waited awaitLiteMembersStoppedWithIt(com.hazelcast.cluster.Cluster cluster,
      java.util.function.Predicate<com.hazelcast.cluster.Member> stoppedWithIt) {
    java.util.function.BooleanSupplier anyLeft = () -> cluster.getMembers().stream()
        .anyMatch(m -> m.isLiteMember() && stoppedWithIt.test(m));
    if (!anyLeft.getAsBoolean()) {
      return Waited.NONE;
    }
    java.util.concurrent.CompletableFuture<Void> gone = new java.util.concurrent.CompletableFuture<>();
    Runnable check = () -> {
      if (!anyLeft.getAsBoolean()) {
        gone.complete(null);
      }
    };
    java.util.UUID listener = cluster.addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
      @Override
      public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {}

      @Override
      public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
        check.run();
      }
    });
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    try {
      check.run();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          say("node stopping: lite members stopped with it are still members after 5 s; handing its data over now");
          return Waited.TIMED_OUT;
        }
        try {
          gone.get(Math.min(left, 100_000_000L), java.util.concurrent.TimeUnit.NANOSECONDS);
          return Waited.GONE;
        } catch (java.util.concurrent.TimeoutException stillThere) {
          var staying = cluster.getMembers().stream().filter(m -> !m.localMember() && !stoppedWithIt.test(m))
              .toList();
          if (!staying.isEmpty() && staying.stream().allMatch(io.concurrencylab.cluster.Members::ended)) {
            return Waited.NOBODY_STAYS;
          }
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      return Waited.GONE; // (never: the future only completes)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Waited.TIMED_OUT;
    } finally {
      cluster.removeMembershipListener(listener);
    }
  }

  /** Whether the stop that wrote {@code set}, still running, stops every member of this node's cluster with it. */
  private static boolean leavesWithWholeCluster(java.util.Optional<StopSet> set,
      com.hazelcast.cluster.Cluster cluster) {
    var self = io.concurrencylab.cluster.Members.of(cluster.getLocalMember());
    return set.map(s -> s.endsCluster(self.pid(), self.host(),
        io.concurrencylab.cluster.Members.all(cluster.getMembers()))).orElse(false);
  }

  /** A line on standard output (the node's log file when launched), timestamped as every log line is. */
  private static void say(String message) {
    System.out.println(io.concurrencylab.cluster.NodeLogging.line("INFO", NodeCommand.class, message));
  }

  /**
   * Whether this node joins the app's cluster as configured, so cluster.join and cluster.eventBusPortOffset apply.
   * A node of a cluster named on its command line (a sweep's, lab compare's) takes any free event-bus port, as its
   * coordinator does, unless told otherwise (lab cluster start names the app's cluster and passes both).
   */
  private boolean appCluster(LabConfig config) {
    return config != null && clusterName == null;
  }

  /** What parseQuickly reads: option to whether it takes a value. */
  private static final java.util.Map<String, Boolean> QUICK = java.util.Map.ofEntries(
      java.util.Map.entry("--cluster-name", true), java.util.Map.entry("--host", true),
      java.util.Map.entry(STOP_SET_OPTION, true),
      java.util.Map.entry("--port", true), java.util.Map.entry("--port-count", true),
      java.util.Map.entry("--members", true), java.util.Map.entry("--role", true),
      java.util.Map.entry("--join", true), java.util.Map.entry("--event-bus-port-offset", true),
      java.util.Map.entry("--parent-pid", true), java.util.Map.entry("--ready-timeout-ms", true),
      java.util.Map.entry("--data-members", true),
      java.util.Map.entry("--lite", false), java.util.Map.entry(ParentWatch.PIPE_OPTION, false),
      java.util.Map.entry("--report-ready", false), java.util.Map.entry("--exit-when-ready", false));

  /**
   * The command line a sweep gives its nodes, read without picocli: picocli builds its model of a command by
   * reflecting over the annotations (proxies spun for each at run time), ~150 ms of CPU in every node, and a sweep
   * starts up to eight at once on two cores. Only a command line that names every value a node needs (so no
   * configuration is loaded either) and nothing else; anything else (--help, --set, a typo, a missing value) is
   * empty, for picocli to read, check and explain as usual. {@code NodeCommandTest} checks both read alike.
   */
  static java.util.Optional<NodeCommand> parseQuickly(String[] args) {
    NodeCommand node = new NodeCommand();
    node.role = "node";
    try {
      for (int i = 0; i < args.length; i++) {
        String option = args[i];
        Boolean takesValue = QUICK.get(option);
        if (takesValue == null || takesValue && i + 1 >= args.length) {
          return java.util.Optional.empty();
        }
        String value = takesValue ? args[++i] : null;
        switch (option) {
          case "--cluster-name" -> node.clusterName = value;
          case STOP_SET_OPTION -> node.stopSet = java.nio.file.Path.of(value);
          case "--host" -> node.host = value;
          case "--port" -> node.port = Integer.valueOf(value);
          case "--port-count" -> node.portCount = Integer.valueOf(value);
          case "--members" -> node.members = java.util.List.of(value.split(","));
          case "--join" -> node.join = java.util.stream.Stream.concat(node.join == null ? java.util.stream.Stream.of()
              : node.join.stream(), java.util.Arrays.stream(value.split(","))).toList();
          case "--event-bus-port-offset" -> node.eventBusPortOffset = Integer.valueOf(value);
          case "--role" -> node.role = value;
          case "--parent-pid" -> node.parentPid = Long.valueOf(value);
          case "--ready-timeout-ms" -> node.readyTimeoutMs = Long.valueOf(value);
          case "--data-members" -> node.dataMembers = Integer.valueOf(value);
          case "--lite" -> node.lite = true;
          case ParentWatch.PIPE_OPTION -> node.parentPipe = true;
          case "--report-ready" -> node.reportReady = true;
          case "--exit-when-ready" -> node.exitWhenReady = true;
          default -> throw new IllegalStateException("not in QUICK: " + option);
        }
      }
    } catch (IllegalArgumentException e) { // a number, or a path (--stop-set), that is not one
      return java.util.Optional.empty();
    }
    boolean complete = node.clusterName != null && node.host != null && node.port != null && node.portCount != null
        && (!node.reportReady || node.readyTimeoutMs != null)
        && (node.dataMembers == null || node.dataMembers >= 1 && node.dataMembers <= 64 && !node.lite);
    return complete ? java.util.Optional.of(node) : java.util.Optional.empty();
  }

  /**
   * Starts watching the parent from the raw arguments, before anything else: picocli alone takes ~0.3 s of a
   * node's start (measured without the class-data archive), and a node whose parent dies meanwhile must go just as
   * fast. Picocli parses and checks both options afterwards as usual; a malformed PID is left for it to report.
   */
  static void watchParent(String[] args) {
    Long parent = null;
    boolean pipe = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--parent-pid") && i + 1 < args.length) {
        parent = pid(args[i + 1]);
      } else if (args[i].startsWith("--parent-pid=")) {
        parent = pid(args[i].substring("--parent-pid=".length()));
      } else if (args[i].equals(ParentWatch.PIPE_OPTION)) {
        pipe = true;
      }
    }
    if (parent != null) {
      long pid = parent;
      ParentWatch.start(pid, pipe ? System.in : null, how -> ParentWatch.haltNow(pid, how));
    }
  }

  private static Long pid(String value) {
    try {
      long pid = Long.parseLong(value);
      return pid > 0 ? pid : null; // no process has it: call() refuses it (exit 2) rather than "parent gone"
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The options' values by the rules their configuration keys follow ({@code LabConfig.validated}): a bad one is
   * exit 2 and one line, before anything joins.
   */
  void check() {
    if (clusterName != null && !clusterName.matches(NAME)) {
      throw new IllegalArgumentException("--cluster-name takes 1 to 64 letters, digits, '.', '_' or '-', got '"
          + io.concurrencylab.bus.Bodies.cut(clusterName, 40) + "'");
    }
    if (role != null && !role.matches(NAME)) {
      throw new IllegalArgumentException("--role takes 1 to 64 letters, digits, '.', '_' or '-', got '"
          + io.concurrencylab.bus.Bodies.cut(role, 40) + "'");
    }
    if (port != null && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("--port must be between 1 and 65535, got " + port);
    }
    if (portCount != null && (portCount < 1 || portCount > 65535)) {
      throw new IllegalArgumentException("--port-count must be between 1 and 65535, got " + portCount);
    }
    if (eventBusPortOffset != null && (eventBusPortOffset < 0 || eventBusPortOffset > 65535)) {
      throw new IllegalArgumentException("--event-bus-port-offset must be 0 (any free port) or a positive offset, got "
          + eventBusPortOffset);
    }
    if (readyTimeoutMs != null && readyTimeoutMs < 1) {
      throw new IllegalArgumentException("--ready-timeout-ms must be at least 1, got " + readyTimeoutMs);
    }
    if (dataMembers != null && (dataMembers < 1 || dataMembers > 64)) {
      throw new IllegalArgumentException("--data-members must be between 1 and 64, got " + dataMembers);
    }
    if (dataMembers != null && lite) {
      throw new IllegalArgumentException("--data-members is for a node that may hold data; --lite never does");
    }
    if (parentPid != null && parentPid < 1) {
      throw new IllegalArgumentException("--parent-pid must be a process id (1 or more), got " + parentPid);
    }
    for (String member : members == null ? java.util.List.<String>of() : members) {
      if (!member.matches("[A-Za-z0-9.-]+:[0-9]{1,5}")) {
        throw new IllegalArgumentException("--members takes HOST:PORT addresses separated by commas, got '"
            + io.concurrencylab.bus.Bodies.cut(member, 40) + "'");
      }
    }
  }

  /** A cluster name or a role: what Hazelcast and the status table show as they are. */
  private static final String NAME = "[A-Za-z0-9._-]{1,64}";
}
