package io.concurrencylab.compare;

import io.concurrencylab.bus.CompareMessages.Lateness;
import io.concurrencylab.bus.CompareMessages.Probe;
import io.concurrencylab.bus.CompareMessages.Progress;
import io.concurrencylab.bus.CompareMessages.Report;
import io.concurrencylab.bus.CompareMessages.Request;
import io.concurrencylab.bus.CompareMessages.Row;
import io.concurrencylab.bus.CompareMessages.Task;
import io.concurrencylab.bus.CompareMessages.Workload;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The lesson's Q1 measured: the same M tasks of two workloads (I/O-bound, CPU-bound), each run several ways on the
 * JVM (one thread, one event loop, K worker threads, N node processes) and in the lesson's Python (one thread,
 * {@code ThreadPoolExecutor(K)}, {@code multiprocessing.Pool(N)}, asyncio); every result checked against a
 * reference; one report. Blocking, for a plain thread (a command's main, a thread of serve's): never an event loop.
 *
 * <p>Like for like, on both sides: every warm way gets one untimed warm-up run, then the median of R timed runs,
 * with its pool or workers created once and reused; the "creation included" ways create, run and tear down (until
 * the processes have exited) inside each timed run, with no warm-up; pools of processes get one task at a time. The
 * comparison's own cluster join (the coordinator's side) is outside every time, and reported.
 */
public final class Comparison {
  static final long PROBE_PERIOD_MS = 10;

  private final String runId;
  private final Plan plan;
  private final Consumer<Progress> progress;
  private final Control control;
  private final List<Draft> drafts = new ArrayList<>();
  private final List<String> steps = new ArrayList<>();
  private final JsonObject setup = new JsonObject();
  private final List<String> notes = new ArrayList<>();
  private Lateness onLoop;
  private Lateness onWorkers;
  private IoServer server;
  private int stepsDone;

  /**
   * What a comparison needs besides its request: the size of a CPU task in each runtime (numbers per task, so that
   * a task takes tens of ms in each: the same function runs ~25x slower in CPython), the Python side, the nodes.
   */
  public record Plan(Request request, int jvmWidth, int pythonWidth, String python, Path lessonDir,
      long pythonTimeoutMs, ClusterSettings cluster, long readyTimeoutMs, long stopGraceMs, String nodeJvmFlags,
      Path logDir) {
    public static final int JVM_WIDTH = 100_000;
    public static final int PYTHON_WIDTH = 4_000;

    public static Plan of(Request request, LabConfig config, String runId) {
      ClusterSettings cluster = new ClusterSettings("lab-compare-" + runId, config.clusterHost(),
          config.comparePort(), config.clusterPortCount(), false, "compare-coordinator");
      return new Plan(request, JVM_WIDTH, PYTHON_WIDTH, config.comparePython(), PythonSide.lessonDir(),
          config.comparePythonTimeoutMs(), cluster, config.squaresReadyTimeoutMs(), config.squaresStopGraceMs(),
          config.compareNodeJvmFlags(), config.dataDir().resolve("logs").resolve("compare-" + runId));
    }

    /** The same plan with smaller CPU tasks (tests). */
    public Plan withWidths(int jvm, int py) {
      return new Plan(request, jvm, py, python, lessonDir, pythonTimeoutMs, cluster, readyTimeoutMs, stopGraceMs,
          nodeJvmFlags, logDir);
    }

    /** The same plan with another Python side (tests: a missing interpreter, a failing script). */
    public Plan withPython(String interpreter, Path scripts, long timeoutMs) {
      return new Plan(request, jvmWidth, pythonWidth, interpreter, scripts, timeoutMs, cluster, readyTimeoutMs,
          stopGraceMs, nodeJvmFlags, logDir);
    }
  }

  /** "1 node process", "2 node processes": the JVM's pool of N, as its rows and steps name it. */
  static String nodeProcesses(int n) {
    return n + (n == 1 ? " node process" : " node processes");
  }

  /** A row before the speed-ups and verdicts, which need the other rows. */
  record Draft(Workload workload, boolean jvm, String way, String label, Ways.Measured measured,
      List<String> expected) {}

  private Comparison(String runId, Plan plan, Consumer<Progress> progress, Control control) {
    this.runId = runId;
    this.plan = plan;
    this.progress = progress;
    this.control = control;
  }

  /** Sortable, readable, unique enough for one machine: 20261125-112303-7fae. */
  public static String newRunId() {
    return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
        .format(Instant.now()) + "-" + java.util.UUID.randomUUID().toString().substring(0, 4);
  }

  /**
   * Runs the comparison. Always returns a report: a way that fails is a row with its error, a cancel or a failure of
   * the whole ends it early with what was measured so far. Everything it started is stopped before it returns.
   */
  public static Report run(String runId, Plan plan, Consumer<Progress> progress, Control control) {
    return new Comparison(runId, plan, progress, control).run();
  }

  private Report run() {
    String started = Instant.now().toString();
    Request r = plan.request();
    planSteps(r);
    setup.put("machine", machine("loadBefore"));
    String error = null;
    JvmWays jvm = null;
    try {
      step("starting the I/O server and the JVM's ways");
      server = IoServer.start(r.delayMs());
      jvm = JvmWays.start(r.threads(), PROBE_PERIOD_MS);
      describeSetup(r);
      List<Task> io = tasks(Workload.IO, plan.jvmWidth());
      List<Task> cpu = tasks(Workload.CPU, plan.jvmWidth());
      List<String> ioExpected = expected(io);
      List<String> cpuExpected = expected(cpu);
      inProcess(jvm, Workload.IO, io, ioExpected);
      inProcess(jvm, Workload.CPU, cpu, cpuExpected);
      python(ioExpected, expected(tasks(Workload.CPU, plan.pythonWidth())));
      if (r.nodes() > 0) {
        nodes(io, ioExpected, cpu, cpuExpected);
      }
    } catch (CancellationException e) {
      error = "cancelled";
    } catch (Exception e) {
      error = "failed: " + describe(e);
    } finally {
      // the server first: a request still waiting on it (a cancel mid-run) then ends at once, and so do the
      // tasks queued behind it, which would otherwise keep the ways' workers busy while they close
      if (server != null) {
        setup.put("requestsAnswered", server.answered());
        server.close();
      }
      if (jvm != null) {
        jvm.close();
      }
    }
    JsonObject machine = setup.getJsonObject("machine").put("loadAfter", load());
    double busiest = Math.max(machine.getValue("loadBefore") instanceof Double b ? b : 0,
        machine.getValue("loadAfter") instanceof Double a ? a : 0);
    if (busiest > machine.getInteger("cores")) {
      notes.add(0, "The machine was busy (load average " + busiest + " on " + machine.getInteger("cores") + " cores): "
          + "other work took CPU from these runs, the CPU-bound ways' first; their speed-ups and verdicts are the "
          + "least reliable here.");
    }
    List<Row> rows = Rows.build(drafts, r.threads(), r.nodes(), r.tasks());
    Double taskMs = rows.stream().filter(x -> x.workload() == Workload.CPU && x.runtime().equals("jvm")
        && x.way().equals(JvmWays.SEQUENTIAL) && x.wallMs() != null).map(x -> x.wallMs() / r.tasks()).findFirst()
        .orElse(null);
    Probe probe = onLoop == null && onWorkers == null ? null
        : new Probe(PROBE_PERIOD_MS, onLoop, onWorkers, taskMs == null ? 0 : Stats.round(taskMs));
    return new Report(runId, started, Instant.now().toString(), error == null, error, r, setup, rows, probe, notes);
  }

  private void planSteps(Request r) {
    steps.add("starting the I/O server and the JVM's ways");
    steps.add(inProcessStep(Workload.IO));
    steps.add(inProcessStep(Workload.CPU));
    steps.add("I/O-bound · Python (" + plan.python() + ")");
    steps.add("CPU-bound · Python (" + plan.python() + ")");
    if (r.nodes() > 0) {
      steps.add("joining the comparison's cluster, launching " + nodeProcesses(r.nodes()));
      steps.add("I/O-bound · JVM · " + nodeProcesses(r.nodes()) + ", warm");
      steps.add("CPU-bound · JVM · " + nodeProcesses(r.nodes()) + ", warm");
      steps.add("I/O-bound · JVM · " + nodeProcesses(r.nodes()) + ", launch included");
      steps.add("CPU-bound · JVM · " + nodeProcesses(r.nodes()) + ", launch included");
    }
  }

  private void step(String name) {
    control.check();
    if (!steps.contains(name)) {
      throw new IllegalStateException("unplanned step: " + name);
    }
    progress.accept(new Progress(runId, stepsDone++, steps.size(), name));
  }

  private void describeSetup(Request r) {
    setup.put("io", "each task: GET /task/<i> over a new TCP connection to " + server.host() + ":" + server.port()
        + ", a server that answers after " + r.delayMs() + " ms");
    setup.put("cpu", "each task: count the primes in a range of consecutive numbers from " + Tasks.CPU_FIRST
        + " by trial division; " + plan.jvmWidth() + " numbers a task on the JVM, " + plan.pythonWidth()
        + " in Python (the same function; CPython runs it ~25x slower): each runtime against its own sequential run");
    setup.put("jvmWidth", plan.jvmWidth()).put("pythonWidth", plan.pythonWidth()).put("cpuFirst", Tasks.CPU_FIRST);
    notes.add("Each way: one untimed warm-up run, then the median of its timed runs (" + r.runs() + "), the ways of a "
        + "step taking turns (run 1 of each, then run 2, ...), so a change in the machine's load weighs on all alike; "
        + "pools, executors and workers are created once and reused (warm against warm), on both sides.");
    notes.add("\"creation included\" / \"launch included\": each timed run creates the pool (starts the "
        + "processes), runs the tasks, then closes it and waits until its processes have exited; no warm-up. The "
        + "comparison's own cluster join (this process's side, like the Python parent's start) is outside the time.");
    notes.add("Processes get one task at a time, the next to whichever is free (Pool.map chunksize=1; one task in "
        + "flight per node). ThreadPoolExecutor gives each task to the next free thread; the event bus gives each "
        + "of the K worker verticles every K-th task.");
    notes.add("CPU time: the whole process (every thread: JIT and GC too on the JVM; the I/O server's thread left "
        + "out), plus the worker processes until they are told to stop, on both sides.");
    notes.add("Every result of every timed run is checked against a reference computed here, one task after "
        + "another; a row whose results differ says so. A verdict needs a speed-up of at least "
        + Lesson.FASTER + "x to count as faster, below " + Lesson.NO_FASTER + "x as no faster; a start-up as paid, "
        + "a run at least 10% slower than with the same processes kept warm (not paid: within 2%); a pool of one "
        + "thread or process, or a single task, runs one task at a time, so such rows test no answer about work "
        + "done at once (\"not tested\").");
    notes.add("JVM node processes run with " + plan.nodeJvmFlags() + " (compare.nodeJvmFlags: C1 only, as sweep "
        + "nodes: a node starts with a third of the CPU, and C1's code for this task, a loop of divisions, is as "
        + "fast as C2's, ~27 ms a task either way on the project's machine).");
  }

  private List<Task> tasks(Workload workload, int width) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < plan.request().tasks(); i++) {
      tasks.add(new Task(workload, i, server.host(), server.port(), Tasks.CPU_FIRST, width));
    }
    return tasks;
  }

  /** The reference: for I/O what the server answers, for CPU the counts computed here, one after another. */
  private static List<String> expected(List<Task> tasks) throws Exception {
    List<String> expected = new ArrayList<>();
    for (Task t : tasks) {
      expected.add(t.workload() == Workload.IO ? Tasks.expectedReply(t.index()) : Tasks.run(t));
    }
    return expected;
  }

  // ------------------------------------------------------------------------------------------- the JVM, here

  private void inProcess(JvmWays jvm, Workload workload, List<Task> tasks, List<String> expected) {
    int k = plan.request().threads();
    step(inProcessStep(workload));
    boolean cpu = workload == Workload.CPU;
    Ways.Way sequential = new Ways.Way(() -> control.await(jvm.run(JvmWays.SEQUENTIAL, tasks)), this::ownCpu, null, null, control);
    Ways.Way loop = new Ways.Way(() -> control.await(jvm.run(JvmWays.LOOP, tasks)), this::ownCpu, cpu ? jvm.probe() : null,
        l -> onLoop = l, control);
    Ways.Way workers = new Ways.Way(() -> control.await(jvm.run(JvmWays.WORKERS, tasks)), this::ownCpu,
        cpu ? jvm.probe() : null, l -> onWorkers = l, control);
    Ways.inTurn(List.of(sequential, loop, workers), plan.request().runs(), control);
    drafts.add(new Draft(workload, true, JvmWays.SEQUENTIAL, "one worker thread, one task after another",
        sequential.measured(), expected));
    drafts.add(new Draft(workload, true, JvmWays.LOOP, cpu ? "one event loop, the tasks run on it"
        : "one event loop, non-blocking I/O", loop.measured(), expected));
    drafts.add(new Draft(workload, true, JvmWays.WORKERS, "worker verticles, " + k + (k == 1 ? " thread" : " threads"),
        workers.measured(), expected));
  }

  private String inProcessStep(Workload workload) {
    return (workload == Workload.IO ? "I/O-bound" : "CPU-bound") + " · JVM · one thread, one event loop, "
        + plan.request().threads() + (plan.request().threads() == 1 ? " worker verticle" : " worker verticles")
        + ", in turn";
  }

  /** This process's CPU time without the I/O server's thread, or -1. */
  private long ownCpu() {
    long all = CpuTime.process();
    return all < 0 ? -1 : all - server.cpuNanos();
  }

  // ------------------------------------------------------------------------------------------- the lesson's Python

  private static final List<String> PYTHON_IO_WAYS = List.of("sequential", "threads", "asyncio", "pool_warm",
      "pool_creation");
  private static final List<String> PYTHON_CPU_WAYS = List.of("sequential", "threads", "pool_warm", "pool_creation");

  private void python(List<String> ioExpected, List<String> cpuExpected) {
    Request r = plan.request();
    PythonSide python = new PythonSide(plan.python(), plan.lessonDir(), plan.pythonTimeoutMs());
    control.onCancel(python::cancel);
    String unavailable = python.unavailable();
    setup.put("pythonSkipped", unavailable);

    step("I/O-bound · Python (" + plan.python() + ")");
    PythonSide.Outcome io = unavailable != null ? PythonSide.Outcome.failed(unavailable)
        : python.run("compare_io.py", List.of(server.host(), Integer.toString(server.port()),
            Integer.toString(r.tasks()), Integer.toString(r.threads()), Integer.toString(r.nodes()), Integer.toString(r.runs())));
    control.check();
    pythonRows(Workload.IO, io, PYTHON_IO_WAYS, ioExpected);

    step("CPU-bound · Python (" + plan.python() + ")");
    PythonSide.Outcome cpu = unavailable != null ? PythonSide.Outcome.failed(unavailable)
        : python.run("compare_cpu.py", List.of(Long.toString(Tasks.CPU_FIRST), Integer.toString(plan.pythonWidth()),
            Integer.toString(r.tasks()), Integer.toString(r.threads()), Integer.toString(r.nodes()),
            Integer.toString(r.runs())));
    control.check();
    pythonRows(Workload.CPU, cpu, PYTHON_CPU_WAYS, cpuExpected);
  }

  private void pythonRows(Workload workload, PythonSide.Outcome outcome, List<String> ways, List<String> expected) {
    Request r = plan.request();
    int processes = r.nodes();
    if (outcome.json() != null) {
      setup.put("python", outcome.json().getString("python")).put("gil", outcome.json().getValue("gil"));
    }
    for (String way : ways) {
      if (way.startsWith("pool") && processes == 0) {
        continue; // no process ways asked (nodes 0): none on either side
      }
      String label = switch (way) {
        case "sequential" -> "one thread, one task after another";
        case "threads" -> "ThreadPoolExecutor(" + r.threads() + "), warm";
        case "asyncio" -> "asyncio, one event loop";
        case "pool_warm" -> "multiprocessing.Pool(" + processes + "), warm";
        default -> "multiprocessing.Pool(" + processes + "), creation included";
      };
      Ways.Measured m;
      if (outcome.error() != null) {
        m = Ways.Measured.failed(outcome.error());
      } else {
        JsonObject figures = outcome.json().getJsonObject("ways", new JsonObject()).getJsonObject(way);
        m = figures == null ? Ways.Measured.failed("failed: the script reported nothing for this way")
            : figures.getString("error") != null ? Ways.Measured.failed("failed: " + figures.getString("error"))
            : PythonSide.measured(figures);
      }
      drafts.add(new Draft(workload, false, way.replace('_', '-'), label, m, expected));
    }
  }

  // ------------------------------------------------------------------------------------------- node processes

  private void nodes(List<Task> io, List<String> ioExpected, List<Task> cpu, List<String> cpuExpected) {
    int n = plan.request().nodes();
    NodeProcesses processes = new NodeProcesses(plan.nodeJvmFlags(), plan.logDir());
    control.onCancel(processes::killAllNow);
    step("joining the comparison's cluster, launching " + nodeProcesses(n));
    NodeWays nodes;
    try {
      nodes = NodeWays.join(new NodeWays.Plan(plan.cluster(), plan.readyTimeoutMs(), plan.stopGraceMs()), processes);
    } catch (CancellationException e) {
      throw e;
    } catch (Exception e) {
      String why = "failed: could not join the comparison's cluster: " + describe(e);
      for (Workload w : Workload.values()) {
        List<String> expected = w == Workload.IO ? ioExpected : cpuExpected;
        drafts.add(new Draft(w, true, "nodes-warm", nodeProcesses(n) + ", warm", Ways.Measured.failed(why), expected));
        drafts.add(new Draft(w, true, "nodes-launch", nodeProcesses(n) + ", launch included", Ways.Measured.failed(why),
            expected));
      }
      return;
    }
    control.onCancel(() -> nodes.abort("cancelled"));
    try {
      setup.put("coordinatorJoinMs", Stats.round(nodes.joinMs()));
      setup.put("nodeLogs", plan.logDir().toString());
      warmNodes(nodes, n, io, ioExpected, cpu, cpuExpected);
      step("I/O-bound · JVM · " + nodeProcesses(n) + ", launch included");
      drafts.add(new Draft(Workload.IO, true, "nodes-launch", nodeProcesses(n) + ", launch included",
          nodes.launchIncluded(n, io, plan.request().runs(), control, this::ownCpu), ioExpected));
      step("CPU-bound · JVM · " + nodeProcesses(n) + ", launch included");
      drafts.add(new Draft(Workload.CPU, true, "nodes-launch", nodeProcesses(n) + ", launch included",
          nodes.launchIncluded(n, cpu, plan.request().runs(), control, this::ownCpu), cpuExpected));
    } finally {
      nodes.close();
    }
  }

  private void warmNodes(NodeWays nodes, int n, List<Task> io, List<String> ioExpected, List<Task> cpu,
      List<String> cpuExpected) {
    String launchError = null;
    try {
      long start = System.nanoTime();
      control.await(nodes.launch(n));
      setup.put("nodesReadyMs", Stats.round((System.nanoTime() - start) / 1e6));
    } catch (CancellationException e) {
      throw e;
    } catch (Exception e) {
      launchError = "failed: " + describe(e);
    }
    String label = nodeProcesses(n) + ", warm";
    LongSupplier cpuTime = () -> {
      long own = ownCpu();
      long theirs = nodes.nodesCpuNanos();
      return own < 0 || theirs < 0 ? -1 : own + theirs;
    };
    step("I/O-bound · JVM · " + label);
    Ways.Way ioWay = new Ways.Way(() -> control.await(nodes.run(io)), cpuTime, null, null, control);
    if (launchError == null) {
      Ways.inTurn(List.of(ioWay), plan.request().runs(), control);
    }
    drafts.add(new Draft(Workload.IO, true, "nodes-warm", label, launchError != null ? Ways.Measured.failed(launchError)
        : ioWay.measured(), ioExpected));
    step("CPU-bound · JVM · " + label);
    Ways.Way cpuWay = new Ways.Way(() -> control.await(nodes.run(cpu)), cpuTime, null, null, control);
    if (launchError == null) {
      Ways.inTurn(List.of(cpuWay), plan.request().runs(), control);
    }
    drafts.add(new Draft(Workload.CPU, true, "nodes-warm", label, launchError != null ? Ways.Measured.failed(launchError)
        : cpuWay.measured(), cpuExpected));
    nodes.stopNodes();
  }

  // ------------------------------------------------------------------------------------------- helpers

  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException || t.getClass() == RuntimeException.class)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String text = Failures.describe(t);
    return text == null || text.isBlank() ? t.getClass().getSimpleName() : text;
  }

  /** Where the figures come from: cores, JVM, OS, and how busy the machine was (its load average). */
  static JsonObject machine(String loadKey) {
    return new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
        .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"))
        .put(loadKey, load());
  }

  /** The 1-minute load average (from /proc/loadavg where there is one). */
  static Double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (Exception e) {
      double avg = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return avg < 0 ? null : avg;
    }
  }
}
