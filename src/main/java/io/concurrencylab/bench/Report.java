package io.concurrencylab.bench;

import java.io.PrintStream;
import java.util.Locale;

/** How a benchmark prints: a figure, the baseline measured in the same run, and the target. */
final class Report {
  private final PrintStream out;

  Report(PrintStream out) {
    this.out = out;
  }

  void title(String text) {
    out.println();
    out.println("== " + text + " ==");
  }

  void figure(String label, String value) {
    out.printf(Locale.ROOT, "  %-58s %s%n", label, value);
  }

  void verdict(String what, boolean met, String target) {
    out.printf(Locale.ROOT, "  %-58s %s (target %s)%n", what, met ? "MET" : "NOT MET", target);
  }

  static String opsPerSecond(double ops) {
    return String.format(Locale.ROOT, "%,.0f ops/s", ops);
  }

  static String millis(double ms) {
    return String.format(Locale.ROOT, "%,.1f ms", ms);
  }

  static double median(double[] xs) {
    double[] copy = xs.clone();
    java.util.Arrays.sort(copy);
    return copy.length % 2 == 1 ? copy[copy.length / 2] : (copy[copy.length / 2 - 1] + copy[copy.length / 2]) / 2;
  }
}
