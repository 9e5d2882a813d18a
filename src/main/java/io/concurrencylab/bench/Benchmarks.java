package io.concurrencylab.bench;

import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.squares.Sweep;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Entry point of {@code lab bench}; {@code all} also writes the report (Markdown and JSON) to its own folder. */
public final class Benchmarks {
  private Benchmarks() {}

  /** The benchmarks {@code lab bench} knows. */
  public static final java.util.List<String> NAMES = java.util.List.of("list", "factorial", "squares", "cli", "compare",
      "all");

  public static int run(String which, PrintStream out, LabConfig config) throws Exception {
    if (!NAMES.contains(which)) { // before probing the machine and Python: one line, nothing else
      System.err.println("lab bench: unknown benchmark '" + which + "' (list, factorial, squares, cli, compare or all)");
      return ExitCodes.USAGE;
    }
    Report report = new Report(out);
    JsonObject machine = Sweep.machine();
    out.println("machine: " + machine.getInteger("cores") + " cores, " + machine.getString("jvm") + ", "
        + machine.getString("os") + ", Vert.x " + machine.getString("vertx") + ", Hazelcast "
        + machine.getString("hazelcast"));
    String python = Python.unavailable();
    out.println("lesson baselines (python3): " + (python == null ? "yes" : python));
    switch (which) {
      case "list" -> {
        ListBench.run(report, 2_000_000);
        ClusterListBench.run(report, config);
      }
      case "factorial" -> FactorialBench.run(report);
      case "squares" -> SquaresBench.run(report, config);
      case "cli" -> CliBench.run(report, config);
      case "compare" -> CompareBench.run(report, config);
      case "all" -> {
        ListBench.run(report, 2_000_000);
        ClusterListBench.run(report, config);
        FactorialBench.run(report);
        CliBench.run(report, config);
        SquaresBench.run(report, config);
        CompareBench.run(report, config);
        write(report, machine, config.dataDir().resolve("bench"), out);
      }
      default -> throw new IllegalStateException(which); // NAMES has every case above
    }
    return ExitCodes.OK;
  }

  private static void write(Report report, JsonObject machine, Path root, PrintStream out) throws Exception {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    Path dir = root.resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(now));
    Files.createDirectories(dir);
    String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(now);
    Files.writeString(dir.resolve("report.md"), report.toMarkdown(machine, date));
    Files.writeString(dir.resolve("report.json"), report.toJson(machine).put("date", date).encodePrettily());
    Files.writeString(root.resolve("latest.md"), report.toMarkdown(machine, date));
    out.println();
    out.println("report: " + dir.resolve("report.md") + " (and report.json); latest also in " + root.resolve("latest.md"));
  }
}
