package io.concurrencylab.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Message shapes of the squares sweep ({@code lab.squares.*}) and its run records. JSON keys appear only here. */
public final class SquaresMessages {
  private SquaresMessages() {}

  /**
   * {@code lab.squares.run} / {@code lab.squares.start} body: {@code {"sizes": [2, 4, 8], "from": 1, "to": 10,
   * "chunk": 1000, "failAt": 7}}; every field optional (sizes, from and to default as shown; without a chunk, its size
   * is automatic, like Pool.map's). In the record, chunk 0 stands for automatic. {@code failAt} (off unless given):
   * the node that gets the chunk holding that number throws instead of answering (Q6, a task that fails on purpose);
   * -1 in the record stands for off. {@code "nodes": "cluster"} runs it over the nodes already in the app's
   * cluster ({@link NodeSource#CLUSTER}) instead of nodes it launches; sizes then default to one size of every such
   * node (an empty list until the sweep has counted them).
   */
  public record RunRequest(List<Integer> sizes, long from, long to, int chunk, long failAt, NodeSource nodes) {
    public static final List<Integer> DEFAULT_SIZES = List.of(2, 4, 8);
    private static final List<String> KEYS = List.of("sizes", "from", "to", "chunk", "failAt", "nodes");

    /** A request without a forced failure. */
    public RunRequest(List<Integer> sizes, long from, long to, int chunk) {
      this(sizes, from, to, chunk, -1);
    }

    /** A request for nodes the sweep launches. */
    public RunRequest(List<Integer> sizes, long from, long to, int chunk, long failAt) {
      this(sizes, from, to, chunk, failAt, NodeSource.LAUNCH);
    }

    /**
     * @throws LabException 400 for sizes that are empty, not integers, below 1 or above {@code maxNodes}; from
     *     below 0 or above to; a range of more than {@code maxNumbers}; a negative chunk; a failAt outside from..to
     */
    public static RunRequest fromBody(Object body, int maxNodes, long maxNumbers) {
      JsonObject json = body == null ? new JsonObject() : body instanceof JsonObject j ? j : null;
      if (json == null) {
        throw LabException.badInput("expected {\"sizes\": [2, 4, 8], \"from\": 1, \"to\": 10, \"chunk\": 1000} "
            + "(every field optional)");
      }
      Bodies.only(json, KEYS, "a run"); // a typo must not start the default sweep of 14 processes
      NodeSource nodes = NodeSource.fromBody(json.getValue("nodes"));
      List<Integer> sizes = new ArrayList<>();
      Object rawSizes = json.getValue("sizes");
      if (rawSizes == null) {
        sizes.addAll(nodes == NodeSource.CLUSTER ? List.of() : DEFAULT_SIZES);
      } else if (rawSizes instanceof JsonArray array && !array.isEmpty()) {
        for (Object s : array) {
          if (s instanceof JsonObject j) {
            Bodies.only(j, List.of("size"), "a size");
          }
          // whole first: a size beyond a long is out of range too (the long's own bound was quoted for it)
          java.math.BigInteger whole = Bodies.whole(s instanceof JsonObject j ? j.getValue("size") : s);
          if (whole != null && (whole.signum() < 1 || whole.compareTo(java.math.BigInteger.valueOf(maxNodes)) > 0)) {
            throw badSize(Bodies.cut(whole.toString(), Bodies.SHOWN), maxNodes);
          }
          sizes.add((int) Bodies.integer(s, "size"));
        }
      } else {
        throw LabException.badInput("sizes must be a non-empty array of integers, e.g. [2, 4, 8]");
      }
      // an optional field given as null is left out, as for every field here
      long from = json.getValue("from") != null ? Bodies.integer(json, "from") : 1;
      long to = json.getValue("to") != null ? Bodies.integer(json, "to") : 10;
      Long chunk = json.getValue("chunk") != null ? Bodies.integer(json, "chunk") : null;
      Long failAt = json.getValue("failAt") != null ? Bodies.integer(json, "failAt") : null;
      return validated(sizes, from, to, chunk, failAt, nodes, maxNodes, maxNumbers);
    }

    /** How many cluster sizes one run may have (the lesson has three: 2, 4, 8). */
    public static final int MAX_SIZES = 16;

    /** The same checks for values parsed elsewhere (the command line), without a forced failure. */
    public static RunRequest validated(List<Integer> sizes, long from, long to, Long chunk, int maxNodes,
        long maxNumbers) {
      return validated(sizes, from, to, chunk, null, maxNodes, maxNumbers);
    }

    /** The same checks for values parsed elsewhere (the command line), for nodes the sweep launches. */
    public static RunRequest validated(List<Integer> sizes, long from, long to, Long chunk, Long failAt,
        int maxNodes, long maxNumbers) {
      return validated(sizes, from, to, chunk, failAt, NodeSource.LAUNCH, maxNodes, maxNumbers);
    }

    /** The same checks for values parsed elsewhere (the command line); no sizes is every node of the cluster. */
    public static RunRequest validated(List<Integer> sizes, long from, long to, Long chunk, Long failAt,
        NodeSource nodes, int maxNodes, long maxNumbers) {
      if (sizes.isEmpty() && nodes != NodeSource.CLUSTER) {
        throw LabException.badInput("give at least one cluster size");
      }
      if (sizes.size() > MAX_SIZES) { // each size is a cluster formed and torn down: a run is minutes already
        throw LabException.badInput("at most " + MAX_SIZES + " cluster sizes per run, got " + sizes.size());
      }
      for (int size : sizes) {
        if (size < 1 || size > maxNodes) {
          throw badSize(String.valueOf(size), maxNodes);
        }
      }
      if (from < 0) {
        throw LabException.badInput("from must be 0 or more, got " + from);
      }
      if (to < from) {
        throw LabException.badInput("from must not be above to, got from " + from + " to " + to);
      }
      if (to - from + 1 > maxNumbers) {
        throw LabException.badInput("at most " + maxNumbers + " numbers per run (squares.maxNumbers), got " + (to - from + 1));
      }
      if (to > 3_037_000_499L) {
        throw LabException.badInput("to must be at most 3037000499 (its square must fit in a long), got " + to);
      }
      if (chunk != null && chunk < 1) {
        throw LabException.badInput("chunk must be 1 or more (leave it out for an automatic size), got " + chunk);
      }
      if (chunk != null && chunk > Integer.MAX_VALUE) {
        throw LabException.badInput("chunk must be at most " + Integer.MAX_VALUE + ", got " + chunk);
      }
      if (failAt != null && (failAt < from || failAt > to)) {
        throw LabException.badInput("failAt must be one of the numbers from " + from + " to " + to + ", got " + failAt);
      }
      return new RunRequest(List.copyOf(sizes), from, to, chunk == null ? 0 : chunk.intValue(),
          failAt == null ? -1 : failAt, nodes);
    }

    /** The same request with these sizes (a sweep over the cluster's nodes, once it has counted them). */
    public RunRequest withSizes(List<Integer> counted) {
      return new RunRequest(List.copyOf(counted), from, to, chunk, failAt, nodes);
    }

    /** Whether it runs over the nodes already in the app's cluster. */
    public boolean onCluster() {
      return nodes == NodeSource.CLUSTER;
    }

    private static LabException badSize(String size, int maxNodes) {
      return LabException.badInput("cluster size must be between 1 and " + maxNodes + " (squares.maxNodes), got " + size);
    }

    public long count() {
      return to - from + 1;
    }

    /** Whether a task is asked to fail ({@link #failAt}). */
    public boolean failing() {
      return failAt >= 0;
    }

    /** Without "chunk" when automatic (nor "failAt" when off), so a recorded request can be sent again as it is. */
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("sizes", new JsonArray(new ArrayList<Object>(sizes))).put("from", from)
          .put("to", to);
      if (chunk > 0) {
        json.put("chunk", chunk);
      }
      if (onCluster()) {
        json.put("nodes", nodes.wire());
      }
      return failing() ? json.put("failAt", failAt) : json;
    }

    public static RunRequest fromJson(JsonObject json) {
      return new RunRequest(ints(json.getJsonArray("sizes")), json.getLong("from"), json.getLong("to"),
          json.getInteger("chunk", 0), json.getLong("failAt", -1L),
          "cluster".equals(json.getString("nodes")) ? NodeSource.CLUSTER : NodeSource.LAUNCH);
    }
  }

  /**
   * Where a sweep's nodes come from: {@code launch} (the default), processes it launches for each size on a cluster
   * of its own and stops after it; {@code cluster}, the nodes already in the app's cluster ({@code lab node},
   * {@code lab cluster start}, on any host), which it uses and leaves running.
   */
  public enum NodeSource {
    LAUNCH, CLUSTER;

    public String wire() {
      return name().toLowerCase();
    }

    static NodeSource fromBody(Object value) {
      if (value == null || "launch".equals(value)) {
        return LAUNCH;
      }
      if ("cluster".equals(value)) {
        return CLUSTER;
      }
      throw LabException.badInput("nodes must be \"launch\" (the sweep launches its own, the default) or \"cluster\""
          + " (the nodes already in the app's cluster), got " + Bodies.show(value));
    }
  }

  /** {@code lab.squares.cancel} body: {@code {"run": id}}, the run to cancel. */
  public record Cancel(String run) {
    public static Cancel fromBody(Object body) {
      if (!(body instanceof JsonObject json) || !(json.getValue("run") instanceof String run) || run.isBlank()) {
        throw LabException.badInput("expected {\"run\": \"<run id>\"}");
      }
      Bodies.only(json, List.of("run"), "a cancel");
      return new Cancel(Bodies.cut(run, 100));
    }

    public JsonObject toJson() {
      return new JsonObject().put("run", run);
    }
  }

  /** {@code lab.squares.start} reply. */
  public record Started(String run) {
    public JsonObject toJson() {
      return new JsonObject().put("run", run);
    }

    public static Started fromJson(JsonObject json) {
      return new Started(json.getString("run"));
    }
  }

  /**
   * The sweep running now and where: the one entry of the shared map {@code lab.squares.running} (one sweep at a
   * time per cluster), and what a 409 names. {@code nodeId} is the serve's Vert.x node id, {@code host} its address.
   */
  public record RunningSweep(String run, String nodeId, long pid, String host) {
    public JsonObject toJson() {
      return new JsonObject().put("run", run).put("nodeId", nodeId).put("pid", pid).put("host", host);
    }

    public static RunningSweep fromJson(JsonObject json) {
      return new RunningSweep(json.getString("run"), json.getString("nodeId"), json.getLong("pid"),
          json.getString("host"));
    }

    /** "20261125-112303-7fae, on the serve with pid 4242 at 127.0.0.1 (node 5f3a9c1e-...)". */
    public String describe() {
      return run + ", on the serve with pid " + pid + " at " + host + (nodeId == null ? "" : " (node " + nodeId + ")");
    }
  }

  /** The phases of one cluster size, in order. */
  public enum Phase {
    LAUNCH, COMPUTE, TEARDOWN, DONE;

    public String wire() {
      return name().toLowerCase();
    }
  }

  /**
   * {@code lab.squares.progress}: {@code done} of {@code total} (nodes ready, numbers computed, nodes stopped) of the
   * size {@code size}, the {@code step}-th (from 1) of the run's {@code steps} sizes; in the compute phase also the
   * chunks done of all ({@code chunks}, {@code chunksTotal}; 0 elsewhere).
   */
  public record Progress(String run, int size, Phase phase, long done, long total, int step, int steps, long chunks,
      long chunksTotal) {
    /** Without the run's position (a single size, in tests). */
    public Progress(String run, int size, Phase phase, long done, long total) {
      this(run, size, phase, done, total, 1, 1, 0, 0);
    }

    /** The same, as the {@code step}-th of {@code steps} sizes. */
    public Progress at(int step, int steps) {
      return new Progress(run, size, phase, done, total, step, steps, chunks, chunksTotal);
    }

    public JsonObject toJson() {
      return new JsonObject().put("run", run).put("size", size).put("phase", phase.wire()).put("done", done)
          .put("total", total).put("step", step).put("steps", steps).put("chunks", chunks)
          .put("chunksTotal", chunksTotal);
    }

    public static Progress fromJson(JsonObject json) {
      return new Progress(json.getString("run"), json.getInteger("size"),
          Phase.valueOf(json.getString("phase").toUpperCase()), json.getLong("done"), json.getLong("total"),
          json.getInteger("step", 1), json.getInteger("steps", 1), json.getLong("chunks", 0L),
          json.getLong("chunksTotal", 0L));
    }
  }

  /**
   * What one node did in one size: chunks and numbers, busy time, its resident memory now and at its peak (VmRSS,
   * VmHWM) and the CPU time it spent to start (until it reported ready). Records kept before the last two existed
   * read them as -1 (unknown). {@code nodeId} is null for a node launched that never got ready (it has no id yet).
   */
  public record NodeStats(String nodeId, long pid, int chunks, long numbers, double busyMs, double rssMb,
      double peakRssMb, double startCpuMs, String host) {
    /** As a node reports itself: where it runs is known to the coordinator ({@link #at}). */
    public NodeStats(String nodeId, long pid, int chunks, long numbers, double busyMs, double rssMb,
        double peakRssMb, double startCpuMs) {
      this(nodeId, pid, chunks, numbers, busyMs, rssMb, peakRssMb, startCpuMs, null);
    }

    /** The same, at {@code host} (its cluster address, without the port). */
    public NodeStats at(String where) {
      return new NodeStats(nodeId, pid, chunks, numbers, busyMs, rssMb, peakRssMb, startCpuMs, where);
    }

    /**
     * What the node did since {@code before} (its stats then): a node of the app's cluster counts every chunk it
     * ever computed, for every sweep; its start CPU belongs to no sweep (-1).
     */
    public NodeStats since(NodeStats before) {
      return new NodeStats(nodeId, pid, chunks - before.chunks, numbers - before.numbers,
          Math.round((busyMs - before.busyMs) * 1000) / 1000.0, rssMb, peakRssMb, -1, host);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("nodeId", nodeId).put("pid", pid).put("chunks", chunks)
          .put("numbers", numbers).put("busyMs", busyMs).put("rssMb", rssMb).put("peakRssMb", peakRssMb)
          .put("startCpuMs", startCpuMs);
      return host == null ? json : json.put("host", host);
    }

    /** @throws IllegalArgumentException naming the first field missing (or ClassCastException for a wrong type) */
    public static NodeStats fromJson(JsonObject json) {
      // (nodeId may be null: a launched node that never got ready, in a size stopped in launch)
      for (String field : new String[] {"pid", "chunks", "numbers", "busyMs", "rssMb"}) {
        if (json.getValue(field) == null) { // (unboxed below: a null would be an NPE's text in a warning)
          throw new IllegalArgumentException("a node's stats lack \"" + field + "\"");
        }
      }
      return new NodeStats(json.getString("nodeId"), json.getLong("pid"), json.getInteger("chunks"),
          json.getLong("numbers"), json.getDouble("busyMs"), json.getDouble("rssMb"),
          unknownIfNull(json.getDouble("peakRssMb")), unknownIfNull(json.getDouble("startCpuMs")),
          json.getString("host"));
    }

    /** An optional figure: absent (a record kept before it was) or null is -1, unknown. */
    private static double unknownIfNull(Double value) {
      return value == null ? -1 : value;
    }
  }

  /** A node that left during a size, and why ({@code left the cluster}, {@code timed out}, ...). */
  public record Lost(String nodeId, long pid, String reason, int requeued, String host, int chunks, long numbers) {
    /**
     * As the scheduler sees it: the chunks and numbers the node answered before it was lost (they count: its
     * squares are in the results); where it ran is known to the pool ({@link #at}).
     */
    public Lost(String nodeId, long pid, String reason, int requeued, int chunks, long numbers) {
      this(nodeId, pid, reason, requeued, null, chunks, numbers);
    }

    /** Without what it answered (unknown: -1), as records kept before it was. */
    public Lost(String nodeId, long pid, String reason, int requeued) {
      this(nodeId, pid, reason, requeued, null, -1, -1);
    }

    public Lost at(String where) {
      return new Lost(nodeId, pid, reason, requeued, where, chunks, numbers);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("nodeId", nodeId).put("pid", pid).put("reason", reason)
          .put("requeued", requeued).put("chunks", chunks).put("numbers", numbers);
      return host == null ? json : json.put("host", host);
    }

    public static Lost fromJson(JsonObject json) {
      return new Lost(json.getString("nodeId"), json.getLong("pid"), json.getString("reason"),
          json.getInteger("requeued"), json.getString("host"), json.getInteger("chunks", -1),
          json.getLong("numbers", -1L));
    }
  }

  /**
   * A task that threw on a node (Q6): the chunk (its first number and count), the node (id, pid) and the failure as
   * the node sent it ({@link io.concurrencylab.bus.RemoteFailure#origin()}: type, message, thread, pid, host, stack).
   */
  public record TaskFailure(long from, int count, String nodeId, long pid, JsonObject origin, String host) {
    /** As the map saw it: where the node runs is known to its pool ({@link #at}). */
    public TaskFailure(long from, int count, String nodeId, long pid, JsonObject origin) {
      this(from, count, nodeId, pid, origin, null);
    }

    /** The same, at {@code where}: the node's cluster address, as its {@link NodeStats#host} and {@link Lost#host}. */
    public TaskFailure at(String where) {
      return new TaskFailure(from, count, nodeId, pid, origin, where);
    }

    /** Where the node runs: its cluster address, else (a record kept before it was) the host name it gave. */
    public String where() {
      return host != null ? host : origin.getString("host");
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("from", from).put("count", count).put("nodeId", nodeId).put("pid", pid)
          .put("origin", origin);
      return host == null ? json : json.put("host", host);
    }

    public static TaskFailure fromJson(JsonObject json) {
      return new TaskFailure(json.getLong("from"), json.getInteger("count"), json.getString("nodeId"),
          json.getLong("pid"), json.getJsonObject("origin"), json.getString("host"));
    }

    /** "RuntimeException: boom (chunk 1..3, node pid 42 at 127.0.0.1, thread vert.x-eventloop-thread-0)". */
    public String describe() {
      String type = origin.getString("type", "?");
      return type.substring(type.lastIndexOf('.') + 1) + ": " + origin.getString("message") + " (chunk " + from + ".."
          + (from + count - 1) + ", node pid " + pid + " at " + where() + ", thread "
          + origin.getString("thread") + ")";
    }
  }

  /**
   * One bar of a node's task timeline: {@code chunks} chunks ({@code numbers} numbers, the first from {@code from})
   * sent at {@code startMs} and all answered by {@code endMs}, in ms from the start of the size's compute phase. A
   * node with few chunks has a span per chunk; with many, neighbouring chunks share a span (the record stays small).
   */
  public record Span(long from, long numbers, int chunks, double startMs, double endMs) {
    public JsonObject toJson() {
      return new JsonObject().put("from", from).put("numbers", numbers).put("chunks", chunks).put("startMs", startMs)
          .put("endMs", endMs);
    }

    public static Span fromJson(JsonObject json) {
      return new Span(json.getLong("from"), json.getLong("numbers"), json.getInteger("chunks"),
          json.getDouble("startMs"), json.getDouble("endMs"));
    }

    /** This span and the next one of the same node as one. */
    public Span merge(Span next) {
      return new Span(from, numbers + next.numbers, chunks + next.chunks, Math.min(startMs, next.startMs),
          Math.max(endMs, next.endMs));
    }
  }

  /**
   * The chunks one node computed in a size, on the compute phase's time axis; {@code lostAtMs} when it was lost, else
   * -1; {@code marks} its life on the same axis (null in records from before they were kept).
   */
  public record NodeTimeline(String nodeId, long pid, List<Span> spans, double lostAtMs, Marks marks) {
    public NodeTimeline(String nodeId, long pid, List<Span> spans, double lostAtMs) {
      this(nodeId, pid, spans, lostAtMs, null);
    }

    public NodeTimeline withMarks(Marks marks) {
      return new NodeTimeline(nodeId, pid, spans, lostAtMs, marks);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("nodeId", nodeId).put("pid", pid).put("spans", array(spans, Span::toJson))
          .put("lostAtMs", lostAtMs);
      return marks == null ? json : json.put("marks", marks.toJson());
    }

    public static NodeTimeline fromJson(JsonObject json) {
      JsonObject marks = json.getJsonObject("marks");
      return new NodeTimeline(json.getString("nodeId"), json.getLong("pid"), list(json.getJsonArray("spans"),
          Span::fromJson), json.getDouble("lostAtMs", -1.0), marks == null ? null : Marks.fromJson(marks));
    }
  }

  /**
   * A node's life in a size, in ms on its timeline's axis (0: the compute phase began; launch and ready come before,
   * so they are negative): its process launched, it was ready (answered the coordinator's ping), its teardown began,
   * its process was seen to exit. Null: it did not get there.
   */
  public record Marks(Double launchMs, Double readyMs, Double stopMs, Double exitMs) {
    public JsonObject toJson() {
      return new JsonObject().put("launchMs", launchMs).put("readyMs", readyMs).put("stopMs", stopMs)
          .put("exitMs", exitMs);
    }

    public static Marks fromJson(JsonObject json) {
      return new Marks(json.getDouble("launchMs"), json.getDouble("readyMs"), json.getDouble("stopMs"),
          json.getDouble("exitMs"));
    }
  }

  /**
   * The timings of one cluster size, split into phases (ms), and what each node did. A size the run stopped in (a
   * failure, a cancel) is kept with what it measured: {@code stoppedIn} names the phase it stopped in ("launch" or
   * "compute"; null for a size that completed), the phases after it are 0, and {@code failures} holds the tasks
   * that threw.
   */
  public record SizeResult(int size, int chunk, double launchMs, double computeMs, double teardownMs, double totalMs,
      int retries, List<Lost> lost, List<NodeStats> nodes, String stoppedIn, List<TaskFailure> failures,
      List<NodeTimeline> timeline) {
    /** A size that completed, without a timeline. */
    public SizeResult(int size, int chunk, double launchMs, double computeMs, double teardownMs, double totalMs,
        int retries, List<Lost> lost, List<NodeStats> nodes) {
      this(size, chunk, launchMs, computeMs, teardownMs, totalMs, retries, lost, nodes, null, List.of(), List.of());
    }

    /** Without a timeline. */
    public SizeResult(int size, int chunk, double launchMs, double computeMs, double teardownMs, double totalMs,
        int retries, List<Lost> lost, List<NodeStats> nodes, String stoppedIn, List<TaskFailure> failures) {
      this(size, chunk, launchMs, computeMs, teardownMs, totalMs, retries, lost, nodes, stoppedIn, failures, List.of());
    }

    public boolean complete() {
      return stoppedIn == null;
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("size", size).put("chunk", chunk).put("launchMs", launchMs)
          .put("computeMs", computeMs).put("teardownMs", teardownMs).put("totalMs", totalMs).put("retries", retries)
          .put("lost", array(lost, Lost::toJson)).put("nodes", array(nodes, NodeStats::toJson));
      if (stoppedIn != null) {
        json.put("stoppedIn", stoppedIn);
      }
      if (!timeline.isEmpty()) {
        json.put("timeline", array(timeline, NodeTimeline::toJson));
      }
      return failures.isEmpty() ? json : json.put("failures", array(failures, TaskFailure::toJson));
    }

    public static SizeResult fromJson(JsonObject json) {
      JsonArray failures = json.getJsonArray("failures");
      return new SizeResult(json.getInteger("size"), json.getInteger("chunk"), json.getDouble("launchMs"),
          json.getDouble("computeMs"), json.getDouble("teardownMs"), json.getDouble("totalMs"),
          json.getInteger("retries"), list(json.getJsonArray("lost"), Lost::fromJson),
          list(json.getJsonArray("nodes"), NodeStats::fromJson), json.getString("stoppedIn"),
          failures == null ? List.of() : list(failures, TaskFailure::fromJson),
          json.getJsonArray("timeline") == null ? List.of() : list(json.getJsonArray("timeline"), NodeTimeline::fromJson));
    }
  }

  /** The squares: all of them when few, else the first and last ten and a SHA-256 of all (as 8-byte big-endian). */
  public record Results(long count, List<Long> values, List<Long> first, List<Long> last, String sha256) {
    public static final int KEEP_ALL = 100;

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("count", count);
      if (values != null) {
        json.put("values", new JsonArray(new ArrayList<Object>(values)));
      }
      return json.put("first", new JsonArray(new ArrayList<Object>(first)))
          .put("last", new JsonArray(new ArrayList<Object>(last))).put("sha256", sha256);
    }

    public static Results fromJson(JsonObject json) {
      JsonArray values = json.getJsonArray("values");
      return new Results(json.getLong("count"), values == null ? null : longs(values), longs(json.getJsonArray("first")),
          longs(json.getJsonArray("last")), json.getString("sha256"));
    }
  }

  /** How a run ended: every size done, failed (a node or task failed, every node lost, ...), or cancelled. */
  public static final String DONE = "done";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";

  /**
   * One sweep: what was asked, how it ended ({@code status}: done, failed, cancelled; {@code ok} is "done"), how
   * each size went (a failed or cancelled run keeps every size it measured), the results, and the machine it ran on.
   */
  public record RunRecord(String id, String started, String finished, RunRequest request, String status,
      String error, List<SizeResult> sizes, Results results, JsonObject machine) {
    /** With {@code ok} for the status: done when true, failed when not. */
    public RunRecord(String id, String started, String finished, RunRequest request, boolean ok, String error,
        List<SizeResult> sizes, Results results, JsonObject machine) {
      this(id, started, finished, request, ok ? DONE : FAILED, error, sizes, results, machine);
    }

    public boolean ok() {
      return DONE.equals(status);
    }

    public boolean cancelled() {
      return CANCELLED.equals(status);
    }

    /** Every task failure of every size, in order. */
    public List<TaskFailure> failures() {
      return sizes.stream().flatMap(s -> s.failures().stream()).toList();
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("started", started).put("finished", finished)
          .put("request", request.toJson()).put("status", status).put("ok", ok()).put("error", error)
          .put("sizes", array(sizes, SizeResult::toJson)).put("results", results == null ? null : results.toJson())
          .put("machine", machine);
    }

    public static RunRecord fromJson(JsonObject json) {
      JsonObject results = json.getJsonObject("results");
      boolean ok = json.getBoolean("ok");
      String error = json.getString("error");
      // records kept before "status" existed: a run stopped by Ctrl-C or serve said "interrupted"
      String status = json.getString("status", ok ? DONE : error != null && error.startsWith("interrupted")
          ? CANCELLED : FAILED);
      RunRecord record = new RunRecord(json.getString("id"), json.getString("started"), json.getString("finished"),
          RunRequest.fromJson(json.getJsonObject("request")), status, error,
          list(json.getJsonArray("sizes"), SizeResult::fromJson), results == null ? null : Results.fromJson(results),
          json.getJsonObject("machine"));
      record.check();
      return record;
    }

    /** The longest run id read: "yyyyMMdd-HHmmss-xxxx", or "pool-" and that, with room to spare. */
    static final int MAX_ID_CHARS = 100;

    /**
     * What every reader of a record counts on (the runs are listed by start time and id, found by id, shown by
     * status): a record from a file or from another serve without them is not a run record.
     */
    private void check() {
      if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS || !id.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("id must be 1 to " + MAX_ID_CHARS + " letters, digits, '.', '_' or '-'");
      }
      if (started == null) {
        throw new IllegalArgumentException("no started time");
      }
      if (!List.of(DONE, FAILED, CANCELLED).contains(status)) {
        throw new IllegalArgumentException("status must be done, failed or cancelled");
      }
      if (request.sizes() == null || request.sizes().stream().anyMatch(n -> n == null || n < 1)
          || request.from() < 0 || request.to() < request.from()) {
        throw new IllegalArgumentException("the request must have sizes of at least 1 and 0 <= from <= to");
      }
      if (sizes.stream().anyMatch(size -> size == null || size.size() < 1)) {
        throw new IllegalArgumentException("every size measured must be at least 1");
      }
    }
  }

  /** Internal: what a node's work address does, in the {@link #OP} header. */
  public enum NodeOp { PING, CHUNK, STATS }

  /** The header naming the {@link NodeOp} of a request to a node. */
  public static final String OP = "op";
  /** The header of a chunk whose node must throw at this number instead of answering (the run's failAt). */
  public static final String FAIL_AT = "failAt";

  /*
   * The squares' own data path (squares.ResultPort). A request to a node may carry RESULTS_TO ("host:port" of the
   * coordinator's result port) and RESULTS_TOKEN; the node then opens a TCP connection there, writes the token
   * (RESULTS_TOKEN_BYTES ASCII bytes); the port answers with the one byte RESULTS_ACCEPTED (or closes the
   * connection), and from then on the node writes each chunk's squares as a frame: map (int, the
   * request's RESULTS_MAP header), from (long), count (int), then count squares as 8-byte big-endian longs. Its
   * answer on the event bus then has the header RESULTS_SENT and no body. Until its connection is up (or when it
   * is down) the node answers with the squares in the body, as without these headers.
   */
  /** Header: where the node writes its squares, "host:port". */
  public static final String RESULTS_TO = "resultsTo";
  /** Header: the token a connection to {@link #RESULTS_TO} opens with. */
  public static final String RESULTS_TOKEN = "resultsToken";
  /** Header: the map a chunk belongs to, written in its frame. */
  public static final String RESULTS_MAP = "resultsMap";
  /** Header of a chunk's answer: its squares went to {@link #RESULTS_TO}. */
  public static final String RESULTS_SENT = "resultsSent";
  /** The byte a result port answers a right token with. */
  public static final byte RESULTS_ACCEPTED = 1;
  /** The length of a result port's token (ASCII). */
  public static final int RESULTS_TOKEN_BYTES = 32;
  /** A frame's header: map (int), from (long), count (int). */
  public static final int RESULTS_FRAME_HEADER = 16;

  /** Internal, {@code lab.squares.ready}: a node of a sweep is serving its work address. */
  public record Ready(String nodeId, long pid) {
    public JsonObject toJson() {
      return new JsonObject().put("nodeId", nodeId).put("pid", pid);
    }

    public static Ready fromJson(JsonObject json) {
      return new Ready(json.getString("nodeId"), json.getLong("pid"));
    }
  }

  /**
   * Internal: a chunk of work, the numbers from..from+count-1. Binary on the wire (12 bytes), and the reply is the
   * squares as 8-byte big-endian longs: JSON arrays cost several times more to encode and parse.
   */
  public record Chunk(long from, int count) {
    public Buffer toBuffer() {
      return Buffer.buffer(12).appendLong(from).appendInt(count);
    }

    public static Chunk fromBuffer(Buffer buffer) {
      if (buffer == null || buffer.length() != 12) {
        throw LabException.badInput("a chunk is 12 bytes: from (long) and count (int)");
      }
      Chunk chunk = new Chunk(buffer.getLong(0), buffer.getInt(8));
      if (chunk.count < 0) {
        throw LabException.badInput("chunk count must not be negative");
      }
      return chunk;
    }
  }

  /** {@code lab.squares.runs} reply: {@code {"runs": [record, ...]}}, oldest first. */
  public static JsonObject runs(List<RunRecord> records) {
    return new JsonObject().put("runs", array(records, RunRecord::toJson));
  }

  public static List<RunRecord> runsFromJson(JsonObject json) {
    return list(json.getJsonArray("runs"), RunRecord::fromJson);
  }

  static <T> JsonArray array(List<T> items, Function<T, JsonObject> toJson) {
    JsonArray array = new JsonArray();
    items.forEach(i -> array.add(toJson.apply(i)));
    return array;
  }

  static <T> List<T> list(JsonArray array, Function<JsonObject, T> fromJson) {
    List<T> items = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      items.add(fromJson.apply(array.getJsonObject(i)));
    }
    return items;
  }

  static List<Long> longs(JsonArray array) {
    List<Long> values = new ArrayList<>();
    array.forEach(v -> values.add(((Number) v).longValue()));
    return values;
  }

  static List<Integer> ints(JsonArray array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(((Number) v).intValue()));
    return values;
  }
}
