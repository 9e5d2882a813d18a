package io.concurrencylab.bus;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Message shapes of {@code lab.nodes.*}: what node processes say about themselves, and what a serve does with them. */
public final class NodeMessages {
  private NodeMessages() {}

  /** How often a node reports itself ({@link Addresses#NODES_REPORT}). */
  public static final long REPORT_EVERY_MS = 1_000;
  /** A node not heard of for this long is marked gone (it may have been killed without leaving). */
  public static final long SILENT_GONE_MS = 3 * REPORT_EVERY_MS;
  /** How often, at most, a serve publishes its table of nodes ({@link Addresses#NODES_CHANGED}). */
  public static final long PUBLISH_EVERY_MS = 1_000;
  /**
   * Where a {@code lab squares} run on this machine keeps its nodes' journal (under {@code data.dir}), one JSON line
   * per event, shaped as {@code lab.nodes.sweep}'s bodies: its nodes live on a cluster of their own, which serve cannot
   * hear, so serve reads the journal (as it reads the run history) to show them.
   */
  public static final String JOURNAL_DIR = "nodes-journal";

  /**
   * {@code lab.nodes.report}, published by every node process about itself once a second: its figures as it reads
   * them from its own /proc, so a node on another host reports the same way. {@code cpuPercent} is the CPU the
   * process used since its previous report over the wall time between them (100 = one core busy, like top);
   * {@code rssMb} and {@code peakRssMb} are VmRSS and VmHWM (-1 where /proc has none).
   */
  public record Report(String nodeId, long pid, String host, String role, double cpuPercent, double rssMb,
      double peakRssMb, int chunks, long numbers, long uptimeMs) {
    public JsonObject toJson() {
      return new JsonObject().put("nodeId", nodeId).put("pid", pid).put("host", host).put("role", role)
          .put("cpuPercent", cpuPercent).put("rssMb", rssMb).put("peakRssMb", peakRssMb).put("chunks", chunks)
          .put("numbers", numbers).put("uptimeMs", uptimeMs);
    }

    /** From a member of the cluster: checked and cut to size, as any input (a malformed one throws). */
    public static Report fromJson(JsonObject json) {
      String nodeId = json.getString("nodeId");
      long pid = json.getLong("pid");
      if (nodeId == null || !nodeId.matches("[0-9a-zA-Z-]{1,64}") || pid <= 0) {
        throw LabException.badInput("a node report needs a node id and a pid");
      }
      return new Report(nodeId, pid, Bodies.cut(String.valueOf(json.getString("host")), 100),
          Bodies.cut(String.valueOf(json.getString("role")), 40), json.getDouble("cpuPercent", -1.0),
          json.getDouble("rssMb", -1.0), json.getDouble("peakRssMb", -1.0), json.getInteger("chunks", 0),
          json.getLong("numbers", 0L), json.getLong("uptimeMs", 0L));
    }
  }

  /** {@code lab.nodes.add} request: {@code {"count": n}}, 1 to the room left under {@code cluster.maxServeNodes}. */
  public record Add(int count) {
    public static Add fromBody(Object body) {
      if (!(body instanceof JsonObject json) || !(json.getValue("count") instanceof Number n)
          || n.doubleValue() != n.intValue() || n.intValue() < 1) {
        throw LabException.badInput("expected {\"count\": n} with n a whole number of at least 1");
      }
      Bodies.only(json, List.of("count"), "an add");
      return new Add(n.intValue());
    }

    public JsonObject toJson() {
      return new JsonObject().put("count", count);
    }
  }

  /**
   * {@code lab.nodes.stop} and {@code lab.nodes.log} request: {@code {"node": "<node id or pid>"}}. Only the
   * characters a node id or a pid has: the value is looked up in the serve's table, never used as a path.
   */
  public record Which(String node) {
    public static Which fromBody(Object body) {
      Object value = body instanceof JsonObject json ? json.getValue("node") : null;
      String node = value instanceof Number n ? String.valueOf(n.longValue()) : value instanceof String s ? s : null;
      if (node == null) {
        throw LabException.badInput("expected {\"node\": \"<node id or pid>\"} (letters, digits and '-')");
      }
      if (!node.matches("[0-9a-zA-Z-]{1,64}")) { // as a route's {id or pid} would have it too
        throw LabException.badInput("not a node id or pid: " + Bodies.show(node)
            + " (letters, digits and '-', at most 64)");
      }
      Bodies.only((JsonObject) body, List.of("node"), "a node request");
      return new Which(node);
    }

    public JsonObject toJson() {
      return new JsonObject().put("node", node);
    }
  }
}
