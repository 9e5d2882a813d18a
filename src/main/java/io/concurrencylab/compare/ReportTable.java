package io.concurrencylab.compare;

import io.concurrencylab.bus.CompareMessages.Lateness;
import io.concurrencylab.bus.CompareMessages.Probe;
import io.concurrencylab.bus.CompareMessages.Report;
import io.concurrencylab.bus.CompareMessages.Request;
import io.concurrencylab.bus.CompareMessages.Row;
import io.concurrencylab.bus.CompareMessages.Workload;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A report as text: what was compared, one table of every way, the event-loop probe, and how it was measured. */
public final class ReportTable {
  private static final String[] HEAD = {"workload", "runtime", "way", "wall", "speed-up", "CPU", "results",
      "the lesson's answer"};

  private ReportTable() {}

  public static List<String> lines(Report report) {
    List<String> out = new ArrayList<>();
    Request r = report.request();
    JsonObject setup = report.setup();
    out.add(String.format(Locale.ROOT, "lab compare %s: %d tasks per workload, %s, %s; each way "
        + "a warm-up, then %s", report.id(), r.tasks(), count(r.threads(), "thread"), count(r.nodes(), "process"),
        r.runs() == 1 ? "one timed run"
        : "the median of " + r.runs() + " timed runs"));
    if (setup.getString("io") != null) {
      out.add("  I/O-bound: " + setup.getString("io"));
      out.add("  CPU-bound: " + setup.getString("cpu"));
    }
    out.add("  Python: " + (setup.getString("pythonSkipped") != null ? setup.getString("pythonSkipped")
        : setup.getString("python") == null ? "no result (the rows say why)"
        : setup.getString("python") + (Boolean.FALSE.equals(setup.getValue("gil")) ? " (no GIL)" : " (with its GIL)")));
    JsonObject machine = setup.getJsonObject("machine", new JsonObject());
    out.add(String.format(Locale.ROOT, "  machine: %s cores, %s, %s; load average %s before, %s after",
        machine.getValue("cores"), machine.getString("jvm"), machine.getString("os"), machine.getValue("loadBefore"),
        machine.getValue("loadAfter")));
    if (setup.getValue("coordinatorJoinMs") != null) {
      out.add(String.format(Locale.ROOT, "  this process joined the comparison's cluster in %s ms (outside every "
          + "time); %s ready in %s ms", setup.getValue("coordinatorJoinMs"),
          r.nodes() == 1 ? "1 warm node was" : r.nodes() + " warm nodes were",
          setup.getValue("nodesReadyMs", "?")));
    }
    out.add("");
    out.addAll(table(report.rows()));
    Probe probe = report.probe();
    if (probe != null) {
      out.add("");
      out.add(String.format(Locale.ROOT, "event-loop probe: a timer due every %.0f ms on the event loop, while the "
          + "CPU-bound tasks ran (one task: ~%.1f ms)", probe.periodMs(), probe.taskMs()));
      String workers = "tasks on " + r.threads() + " worker verticles:";
      out.add(String.format(Locale.ROOT, "  %-30s %s", "tasks on that event loop:", late(probe.onLoop())));
      out.add(String.format(Locale.ROOT, "  %-30s %s", workers, late(probe.onWorkers())));
    }
    out.add("");
    report.notes().forEach(n -> out.add("- " + n));
    if (!report.ok()) {
      out.add("");
      out.add("comparison " + report.error() + (report.rows().isEmpty() ? ": nothing was measured before"
          : ": the rows above are what was measured before"));
    }
    return out;
  }

  private static String count(int n, String one) {
    return n + " " + (n == 1 ? one : one.endsWith("s") ? one + "es" : one + "s");
  }

  private static String late(Lateness l) {
    return l == null ? "not measured" : String.format(Locale.ROOT, "fired up to %,.1f ms late (median %,.1f ms, %d "
        + "timer%s)", l.maxMs(), l.medianMs(), l.samples(), l.samples() == 1 ? "" : "s");
  }

  static List<String> table(List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEAD);
    for (Row row : rows) {
      String answer = row.verdict() == null ? row.claim() : row.verdict().equals("baseline") ? "baseline"
          : row.verdict() + ": " + row.claim();
      cells.add(row.error() != null
          ? new String[] {workload(row.workload()), runtime(row.runtime()), row.label(), row.error(), "", "", "", ""}
          : new String[] {workload(row.workload()), runtime(row.runtime()), row.label(), ms(row.wallMs()),
              row.speedup() == null ? "-" : String.format(Locale.ROOT, "%.1fx", row.speedup()), ms(row.cpuMs()),
              row.checked(), answer});
    }
    int[] width = new int[HEAD.length];
    for (String[] line : cells) {
      boolean failed = line[4].isEmpty() && line != HEAD;
      for (int i = 0; i < (failed ? 3 : HEAD.length); i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] line : cells) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < HEAD.length; i++) {
        boolean number = i >= 3 && i <= 5;
        String cell = line[i];
        if (i == HEAD.length - 1 || (i == 3 && line[4].isEmpty() && line != HEAD)) {
          text.append(cell); // the last column, or a row's error: no padding after it
          break;
        }
        text.append(number ? " ".repeat(width[i] - cell.length()) + cell : cell + " ".repeat(width[i] - cell.length()));
        text.append("  ");
      }
      out.add(text.toString().stripTrailing());
    }
    return out;
  }

  private static String workload(Workload w) {
    return w == Workload.IO ? "I/O" : "CPU";
  }

  private static String runtime(String runtime) {
    return runtime.equals("jvm") ? "JVM" : "Python";
  }

  private static String ms(Double ms) {
    return ms == null ? "-" : String.format(Locale.ROOT, "%,.1f ms", ms);
  }
}
