package io.concurrencylab.cluster;

import io.concurrencylab.bus.NodeMessages;
import io.concurrencylab.bus.NodeMessages.Report;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node processes a serve knows of: those it launched (from their launch), and any that report themselves on its
 * cluster or on one of its sweeps' clusters; live, or gone (kept a minute, so the log of a node that just died is
 * still one click away). Bounded: at most {@link #MAX} rows, the oldest gone ones dropped first. Not thread-safe:
 * {@link NodesVerticle} uses it on its event loop.
 */
final class NodeTable {
  static final int MAX = 200;
  static final long KEEP_GONE_MS = 60_000;

  /** Where a node comes from: a sweep of this serve, this serve (the page or the API), lab cluster start, elsewhere. */
  static final String SWEEP = "sweep";
  static final String SERVE = "serve";
  static final String CLUSTER = "cluster";
  static final String MEMBER = "member";

  /** One node. {@code log} is set by this serve only (a file it launched the node with), never from a message. */
  static final class Row {
    final long pid;
    String nodeId;
    String source;
    String run;
    Path log;
    Report last;
    String state = "starting";
    String goneWhy;
    long seenAt;
    long goneAt;

    Row(long pid, String source, long now) {
      this.pid = pid;
      this.source = source;
      this.seenAt = now;
    }

    /** How the page and the API name it: its node id once known, else its pid. */
    String key() {
      return nodeId != null ? nodeId : Long.toString(pid);
    }

    boolean gone() {
      return "gone".equals(state);
    }

    JsonObject toJson(long now) {
      JsonObject json = new JsonObject().put("key", key()).put("nodeId", nodeId).put("pid", pid).put("source", source)
          .put("state", state).put("log", log != null).put("seenMsAgo", now - seenAt);
      if (run != null) {
        json.put("run", run);
      }
      if (last != null) {
        json.put("host", last.host()).put("role", last.role()).put("cpuPercent", last.cpuPercent())
            .put("rssMb", last.rssMb()).put("peakRssMb", last.peakRssMb()).put("chunks", last.chunks())
            .put("numbers", last.numbers()).put("uptimeMs", last.uptimeMs());
      }
      if (gone()) {
        json.put("goneWhy", goneWhy).put("goneMsAgo", now - goneAt);
      }
      return json;
    }
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private boolean changed;

  /** A node launched by this process: shown as starting until it reports. */
  Row launched(long pid, String source, String run, Path log, long now) {
    Row row = new Row(pid, source, now);
    row.run = run;
    row.log = log;
    return put("pid:" + pid, row) ? row : null;
  }

  /**
   * A node's report: its row, the one of its launch here when there was one (matched by pid), else a new one; null
   * when the table is full of live nodes.
   */
  Row reported(Report report, long now) {
    Row row = rows.get(report.nodeId());
    if (row == null) {
      row = rows.remove("pid:" + report.pid()); // launched here, reporting for the first time
      if (row == null) {
        row = new Row(report.pid(), MEMBER, now);
      }
      row.nodeId = report.nodeId();
      if (!put(report.nodeId(), row)) {
        return null;
      }
    }
    if (!row.gone()) { // a report still on its way when the node went does not bring it back
      row.state = "live";
    }
    row.last = report;
    row.seenAt = now;
    changed = true;
    return row;
  }

  /** The node with this pid, launched here, has exited. */
  void exited(long pid, long now, String why) {
    rows.values().stream().filter(r -> r.pid == pid && r.log != null && !r.gone()).forEach(r -> gone(r, now, why));
  }

  /** A member left the cluster. */
  void left(String nodeId, long now) {
    Row row = rows.get(nodeId);
    if (row != null && !row.gone()) {
      gone(row, now, "left the cluster");
    }
  }

  private void gone(Row row, long now, String why) {
    row.state = "gone";
    row.goneWhy = why;
    row.goneAt = now;
    changed = true;
  }

  /**
   * Marks silent nodes gone, and launched ones whose process is no more before they reported (their launcher was
   * killed, so no exit is heard of them); drops the long gone; whether anything changed since the last call.
   */
  boolean tick(long now) {
    for (Row row : List.copyOf(rows.values())) {
      if (row.state.equals("live") && now - row.seenAt > NodeMessages.SILENT_GONE_MS) {
        gone(row, now, "silent for " + (now - row.seenAt) / 1000 + " s");
      } else if (row.state.equals("starting") && !ProcessHandle.of(row.pid).map(ProcessHandle::isAlive).orElse(false)) {
        gone(row, now, "exited before it reported");
      } else if (row.gone() && now - row.goneAt > KEEP_GONE_MS) {
        rows.values().remove(row);
        changed = true;
      }
    }
    boolean was = changed;
    changed = false;
    return was;
  }

  /** By node id, or by pid (the live one first). */
  Optional<Row> find(String which) {
    Row byId = rows.get(which);
    if (byId != null) {
      return Optional.of(byId);
    }
    if (!which.matches("\\d{1,10}")) {
      return Optional.empty();
    }
    long pid = Long.parseLong(which);
    return rows.values().stream().filter(r -> r.pid == pid).min(Comparator.comparing(Row::gone));
  }

  /** Live (or starting) nodes of this source. */
  long live(String source) {
    return rows.values().stream().filter(r -> r.source.equals(source) && !r.gone()).count();
  }

  JsonObject toJson(long now, int maxServeNodes) {
    JsonArray nodes = new JsonArray();
    rows.values().forEach(r -> nodes.add(r.toJson(now)));
    return new JsonObject().put("nodes", nodes).put("maxServeNodes", maxServeNodes);
  }

  private boolean put(String key, Row row) {
    if (rows.size() >= MAX) {
      List<String> gone = new ArrayList<>();
      rows.forEach((k, r) -> {
        if (r.gone()) {
          gone.add(k);
        }
      });
      if (gone.isEmpty()) {
        return false; // full of live nodes: this one is not shown (MAX is far above any configured cluster)
      }
      rows.remove(gone.get(0));
    }
    rows.put(key, row);
    changed = true;
    return true;
  }
}
