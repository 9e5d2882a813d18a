package io.concurrencylab.bench;

import io.concurrencylab.bus.ExitCodes;
import java.io.PrintStream;

/** Entry point of {@code lab bench}. */
public final class Benchmarks {
  private Benchmarks() {}

  public static int run(String which, PrintStream out) throws Exception {
    Report report = new Report(out);
    out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    switch (which) {
      case "list" -> ListBench.run(report, 2_000_000);
      case "factorial" -> FactorialBench.run(report);
      case "all" -> {
        ListBench.run(report, 2_000_000);
        FactorialBench.run(report);
      }
      default -> {
        out.println("lab bench: unknown benchmark '" + which + "' (list, factorial or all)");
        return ExitCodes.USAGE;
      }
    }
    return ExitCodes.OK;
  }
}
