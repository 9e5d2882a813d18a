package io.concurrencylab.bench;

import io.concurrencylab.bus.ExitCodes;
import java.io.PrintStream;

/** Entry point of {@code lab bench}. */
public final class Benchmarks {
  private Benchmarks() {}

  public static int run(String which, PrintStream out, io.concurrencylab.config.LabConfig config) throws Exception {
    Report report = new Report(out);
    out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    switch (which) {
      case "list" -> ListBench.run(report, 2_000_000);
      case "factorial" -> FactorialBench.run(report);
      case "squares" -> SquaresBench.run(report, config);
      case "all" -> {
        ListBench.run(report, 2_000_000);
        FactorialBench.run(report);
        SquaresBench.run(report, config);
      }
      default -> {
        out.println("lab bench: unknown benchmark '" + which + "' (list, factorial, squares or all)");
        return ExitCodes.USAGE;
      }
    }
    return ExitCodes.OK;
  }
}
