package io.concurrencylab.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Message shapes of the Q1 comparison ({@code lab.compare.*}): the request, the task a way runs, progress, and the
 * report with one row per way. JSON keys appear only here.
 */
public final class CompareMessages {
  private CompareMessages() {}

  /** Header on {@code lab.compare.node.<id>}: what the coordinator asks a node ({@link #PING} or a task). */
  public static final String OP = "op";
  public static final String PING = "ping";
  public static final String TASK = "task";

  /** The two workloads. */
  public enum Workload {
    IO, CPU;

    public String wire() {
      return name().toLowerCase();
    }

    public static Workload fromWire(String s) {
      return valueOf(s.toUpperCase());
    }
  }

  /**
   * {@code lab.compare.start} body, every field optional: {@code {"tasks": 16, "delayMs": 50, "threads": 2,
   * "nodes": 2, "runs": 3}}. M tasks per workload, the I/O server's delay D, K threads, N processes (0: leave the
   * process ways out), and the timed runs per way (after one warm-up). Threads and processes default to the cores of
   * the machine, from 2 to 4 ({@link #defaults()}): as many as can compute at once, and a run that stays near a
   * minute (each node process is a JVM to start, three times per workload).
   */
  public record Request(int tasks, int delayMs, int threads, int nodes, int runs) {
    /** The defaults on this machine: 16 tasks, 50 ms, K = N = its cores (2 to 4), 3 runs. */
    public static Request defaults() {
      int cores = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
      return new Request(16, 50, cores, cores, 3);
    }

    public static final int MAX_TASKS = 64;
    public static final int MAX_DELAY_MS = 2_000;
    public static final int MAX_THREADS = 16;
    public static final int MAX_NODES = 8;
    public static final int MAX_RUNS = 9;
    private static final List<String> KEYS = List.of("tasks", "delayMs", "threads", "nodes", "runs");

    /** @throws LabException 400 for an unknown field, a value that is not an integer, or one out of its range */
    public static Request fromBody(Object body) {
      Request defaults = defaults();
      if (body == null) {
        return defaults;
      }
      if (!(body instanceof JsonObject json)) {
        throw LabException.badInput("expected {\"tasks\": 16, \"delayMs\": 50, \"threads\": 2, \"nodes\": 2, "
            + "\"runs\": 3} (every field optional)");
      }
      Bodies.only(json, KEYS, "a comparison");
      return new Request(field(json, "tasks", 1, MAX_TASKS, defaults.tasks),
          field(json, "delayMs", 1, MAX_DELAY_MS, defaults.delayMs),
          field(json, "threads", 1, MAX_THREADS, defaults.threads), field(json, "nodes", 0, MAX_NODES, defaults.nodes),
          field(json, "runs", 1, MAX_RUNS, defaults.runs));
    }

    /** The same checks for values given on the command line (null: the default). */
    public static Request validated(Integer tasks, Integer delayMs, Integer threads, Integer nodes, Integer runs) {
      JsonObject json = new JsonObject();
      if (tasks != null) {
        json.put("tasks", tasks);
      }
      if (delayMs != null) {
        json.put("delayMs", delayMs);
      }
      if (threads != null) {
        json.put("threads", threads);
      }
      if (nodes != null) {
        json.put("nodes", nodes);
      }
      if (runs != null) {
        json.put("runs", runs);
      }
      return fromBody(json);
    }

    private static int field(JsonObject json, String key, int min, int max, int otherwise) {
      return json.getValue(key) == null ? otherwise : (int) Bodies.integer(json, key, min, max, "");
    }

    public JsonObject toJson() {
      return new JsonObject().put("tasks", tasks).put("delayMs", delayMs).put("threads", threads).put("nodes", nodes)
          .put("runs", runs);
    }

    public static Request fromJson(JsonObject json) {
      return new Request(json.getInteger("tasks"), json.getInteger("delayMs"), json.getInteger("threads"),
          json.getInteger("nodes"), json.getInteger("runs"));
    }
  }

  /**
   * One task of a workload, as every way receives it. I/O: a GET of {@code /task/<index>} from {@code host:port};
   * CPU: count the primes in {@code [first + index * width, first + (index + 1) * width)}.
   */
  public record Task(Workload workload, int index, String host, int port, long first, int width) {
    public JsonObject toJson() {
      return new JsonObject().put("workload", workload.wire()).put("index", index).put("host", host).put("port", port)
          .put("first", first).put("width", width);
    }

    public static Task fromJson(JsonObject json) {
      return new Task(Workload.fromWire(json.getString("workload")), json.getInteger("index"), json.getString("host"),
          json.getInteger("port"), json.getLong("first"), json.getInteger("width"));
    }
  }

  /** Internal: a comparison node tells its coordinator it serves its address. */
  public record NodeReady(String nodeId, long pid) {
    public JsonObject toJson() {
      return new JsonObject().put("nodeId", nodeId).put("pid", pid);
    }

    public static NodeReady fromJson(JsonObject json) {
      return new NodeReady(json.getString("nodeId"), json.getLong("pid"));
    }
  }

  /** {@code lab.compare.start} reply, and {@code lab.compare.cancel}'s: the run concerned. */
  public record Started(String run) {
    public JsonObject toJson() {
      return new JsonObject().put("run", run);
    }
  }

  /** {@code lab.compare.progress}: step {@code done} of {@code total} begins; {@code step} says which. */
  public record Progress(String run, int done, int total, String step) {
    public JsonObject toJson() {
      return new JsonObject().put("run", run).put("done", done).put("total", total).put("step", step);
    }

    public static Progress fromJson(JsonObject json) {
      return new Progress(json.getString("run"), json.getInteger("done"), json.getInteger("total"),
          json.getString("step"));
    }
  }

  /**
   * One way of running a workload's M tasks.
   *
   * @param way a key: {@code sequential}, {@code event-loop}, {@code workers}, {@code nodes-warm},
   *     {@code nodes-launch} (JVM); {@code sequential}, {@code threads}, {@code asyncio}, {@code pool-warm},
   *     {@code pool-creation} (Python)
   * @param runsMs the wall time of each timed run; {@code wallMs} and {@code cpuMs} are their medians (null when
   *     the way did not run)
   * @param speedup against the sequential row of the same workload and runtime
   * @param checked what the check of the results found, e.g. "48/48 equal" (every task of every run)
   * @param claim the lesson's answer this row puts to the test; {@code verdict}: confirms, contradicts,
   *     inconclusive or baseline
   * @param error why the row has no figures ("failed: ...", "skipped: ..."), else null
   */
  public record Row(Workload workload, String runtime, String way, String label, List<Double> runsMs, Double wallMs,
      Double cpuMs, Double speedup, String checked, boolean equal, String claim, String verdict, String error) {
    public JsonObject toJson() {
      return new JsonObject().put("workload", workload.wire()).put("runtime", runtime).put("way", way)
          .put("label", label).put("runsMs", new JsonArray(new ArrayList<Object>(runsMs))).put("wallMs", wallMs)
          .put("cpuMs", cpuMs).put("speedup", speedup).put("checked", checked).put("equal", equal)
          .put("claim", claim).put("verdict", verdict).put("error", error);
    }

    public static Row fromJson(JsonObject json) {
      List<Double> runs = new ArrayList<>();
      json.getJsonArray("runsMs").forEach(v -> runs.add(((Number) v).doubleValue()));
      return new Row(Workload.fromWire(json.getString("workload")), json.getString("runtime"), json.getString("way"),
          json.getString("label"), runs, json.getDouble("wallMs"), json.getDouble("cpuMs"), json.getDouble("speedup"),
          json.getString("checked"), json.getBoolean("equal"), json.getString("claim"), json.getString("verdict"),
          json.getString("error"));
    }
  }

  /** How late a timer on an event loop fired while the CPU tasks ran (ms). */
  public record Lateness(double maxMs, double medianMs, int samples) {
    public JsonObject toJson() {
      return new JsonObject().put("maxMs", maxMs).put("medianMs", medianMs).put("samples", samples);
    }

    public static Lateness fromJson(JsonObject json) {
      return json == null ? null : new Lateness(json.getDouble("maxMs"), json.getDouble("medianMs"),
          json.getInteger("samples"));
    }
  }

  /**
   * The event-loop probe: a timer due every {@code periodMs} on the loop, while the CPU tasks ran on that loop
   * ({@code onLoop}) and while they ran on the worker verticles ({@code onWorkers}); {@code taskMs}: one task.
   */
  public record Probe(double periodMs, Lateness onLoop, Lateness onWorkers, double taskMs) {
    public JsonObject toJson() {
      return new JsonObject().put("periodMs", periodMs).put("onLoop", onLoop == null ? null : onLoop.toJson())
          .put("onWorkers", onWorkers == null ? null : onWorkers.toJson()).put("taskMs", taskMs);
    }

    public static Probe fromJson(JsonObject json) {
      return json == null ? null : new Probe(json.getDouble("periodMs"), Lateness.fromJson(json.getJsonObject("onLoop")),
          Lateness.fromJson(json.getJsonObject("onWorkers")), json.getDouble("taskMs"));
    }
  }

  /**
   * A whole comparison ({@code lab.compare.finished}, {@code lab compare --json}). {@code setup} says what was
   * compared (the tasks' sizes, the server, Python's version, the machine and its load); {@code notes} how.
   */
  public record Report(String id, String started, String finished, boolean ok, String error, Request request,
      JsonObject setup, List<Row> rows, Probe probe, List<String> notes) {
    public JsonObject toJson() {
      JsonArray rowsJson = new JsonArray();
      rows.forEach(r -> rowsJson.add(r.toJson()));
      return new JsonObject().put("id", id).put("started", started).put("finished", finished).put("ok", ok)
          .put("error", error).put("request", request.toJson()).put("setup", setup).put("rows", rowsJson)
          .put("probe", probe == null ? null : probe.toJson()).put("notes", new JsonArray(new ArrayList<Object>(notes)));
    }

    public static Report fromJson(JsonObject json) {
      List<Row> rows = new ArrayList<>();
      json.getJsonArray("rows").forEach(r -> rows.add(Row.fromJson((JsonObject) r)));
      List<String> notes = new ArrayList<>();
      json.getJsonArray("notes").forEach(n -> notes.add((String) n));
      return new Report(json.getString("id"), json.getString("started"), json.getString("finished"),
          json.getBoolean("ok"), json.getString("error"), Request.fromJson(json.getJsonObject("request")),
          json.getJsonObject("setup"), rows, Probe.fromJson(json.getJsonObject("probe")), notes);
    }
  }

  /**
   * {@code lab.compare.latest} reply: the last report (null before the first), the run going (null when none) and
   * its last progress.
   */
  public static JsonObject latest(JsonObject report, String running, JsonObject progress) {
    return new JsonObject().put("report", report).put("running", running).put("progress", progress);
  }
}
