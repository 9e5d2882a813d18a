package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.Lost;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.SquaresMessages.Results;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.concurrencylab.bus.SquaresMessages.TaskFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How {@code lab squares} tells a run: live progress while it goes, then the lesson's lines and a table of phases. */
public final class SquaresProgram {
  private SquaresProgram() {}

  /**
   * The lesson's two lines per completed size, then one table for every size measured (a size a failure or a cancel
   * stopped is marked so), its lost nodes, and the tasks that failed on a node with the node's stack (Python prints
   * the worker's traceback the same way, as the cause of the exception it raises in the caller).
   *
   * @param kept whether the record is on disk: only then does the report say it is kept
   */
  public static List<String> report(RunRecord record, boolean kept) {
    List<String> lines = new ArrayList<>();
    for (SizeResult size : record.sizes()) {
      if (size.complete() && record.results() != null) {
        lines.add(String.format(Locale.ROOT, "Cluster size %d: Time taken = %.4f seconds", size.size(), size.totalMs() / 1000));
        lines.add("Results with cluster size " + size.size() + ": " + shown(record.results()));
      }
    }
    if (!record.sizes().isEmpty()) {
      lines.add("");
      lines.add(String.format(Locale.ROOT, "%4s  %12s  %10s  %10s  %10s  %6s  %s", "size", "launch+join", "compute",
          "teardown", "total", "chunk", "numbers per node (pid, peak RSS)"));
      for (SizeResult s : record.sizes()) {
        lines.add(String.format(Locale.ROOT, "%4d  %10.1f ms  %7.1f ms  %7.1f ms  %7.1f ms  %6d  %s", s.size(),
            s.launchMs(), s.computeMs(), s.teardownMs(), s.totalMs(), s.chunk(),
            perNode(s.nodes(), record.request().onCluster())) + (s.complete() ? "" : "  (stopped in " + s.stoppedIn() + ")"));
        for (Lost l : s.lost()) {
          lines.add("      lost node pid " + l.pid() + (l.host() == null ? "" : " at " + l.host()) + " (" + l.reason()
              + "): " + (l.chunks() < 0 ? "" : "it had answered " + l.chunks() + " chunk(s), " + l.numbers()
              + " numbers; ") + l.requeued() + " chunk(s) re-queued");
        }
      }
    }
    for (SizeResult s : record.sizes()) {
      for (TaskFailure f : s.failures()) {
        lines.add("");
        lines.addAll(failure(s.size(), f));
      }
    }
    lines.add("run " + record.id() + (record.ok() ? "" : " (" + record.status() + ")")
        + (kept ? " kept in the history" : " NOT kept in the history (could not write it)"));
    return lines;
  }

  /** A task's failure as the node told it: where, then the exception and its stack, as Java prints one. */
  static List<String> failure(int size, TaskFailure f) {
    List<String> lines = new ArrayList<>();
    JsonObject origin = f.origin();
    lines.add(String.format(Locale.ROOT, "Task failed on a node (size %d, chunk %d..%d): node pid %d at %s, thread %s",
        size, f.from(), f.from() + f.count() - 1, f.pid(), f.where(), origin.getString("thread")));
    lines.add(origin.getString("type") + (origin.getString("message") == null ? "" : ": " + origin.getString("message")));
    JsonArray stack = origin.getJsonArray("stack", new JsonArray());
    for (int i = 0; i < stack.size(); i++) {
      String frame = String.valueOf(stack.getValue(i));
      lines.add(frame.startsWith("Caused by") ? frame : "\t" + frame);
    }
    return lines;
  }

  static String perNode(List<NodeStats> nodes) {
    return perNode(nodes, false);
  }

  /** With {@code hosts}, each node's host too (the cluster's nodes may be anywhere; a sweep's own are here). */
  static String perNode(List<NodeStats> nodes, boolean hosts) {
    // the peak (VmHWM): what the node needed at its busiest, not what it holds once the work is done
    return nodes.stream().map(n -> {
      double mb = n.peakRssMb() >= 0 ? n.peakRssMb() : n.rssMb();
      return String.format(Locale.ROOT, "%d (pid %d%s, %s)", n.numbers(), n.pid(),
          hosts && n.host() != null ? " at " + n.host() : "",
          mb >= 0 ? String.format(Locale.ROOT, "%.0f MB", mb) : "RSS unknown");
    }).collect(Collectors.joining(", "));
  }

  /** All values when at most 20, else the first ten, an ellipsis and the last three. */
  static String shown(Results r) {
    if (r == null) {
      return "[]";
    }
    if (r.values() != null && r.values().size() <= 20) {
      return r.values().toString();
    }
    String head = r.first().stream().map(String::valueOf).collect(Collectors.joining(", "));
    List<Long> tail = r.last().subList(Math.max(0, r.last().size() - 3), r.last().size());
    return "[" + head + ", ..., " + tail.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "] ("
        + r.count() + " values)";
  }

  /** Live progress on a terminal: one line redrawn in place; elsewhere a line per phase change. */
  public static final class ProgressView implements java.util.function.Consumer<Progress> {
    private final PrintStream out;
    private final boolean terminal;
    private String lastPhase = "";
    private String lastLine = "";

    public ProgressView(PrintStream out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
    }

    @Override
    public synchronized void accept(Progress p) {
      if (p.phase() == io.concurrencylab.bus.SquaresMessages.Phase.DONE) {
        return; // the teardown line already says the size is over
      }
      String what = switch (p.phase()) {
        case LAUNCH -> p.done() + "/" + p.total() + " nodes ready";
        case COMPUTE -> p.done() + "/" + p.total() + " numbers";
        case TEARDOWN -> p.done() + "/" + p.total() + " nodes stopped";
        case DONE -> "done";
      };
      String phase = "size " + p.size() + " " + p.phase().wire();
      if (terminal) {
        int width = 30;
        int filled = p.total() == 0 ? width : (int) (width * p.done() / p.total());
        out.print("\r" + String.format(Locale.ROOT, "%-16s [%s%s] %-28s", phase, "#".repeat(filled),
            " ".repeat(width - filled), what));
        if (p.phase() == io.concurrencylab.bus.SquaresMessages.Phase.TEARDOWN && p.done() == p.total()) {
          out.println();
        }
      } else if ((!phase.equals(lastPhase) || p.done() == p.total()) && !(phase + ": " + what).equals(lastLine)) {
        lastLine = phase + ": " + what; // (a phase's last count may come twice: one line for it)
        out.println(lastLine);
      }
      lastPhase = phase;
      out.flush();
    }
  }
}
