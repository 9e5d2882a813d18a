package io.concurrencylab.compare;

import java.util.Arrays;
import java.util.List;

/** Medians and rounding for the report. */
final class Stats {
  private Stats() {}

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** The median, or null for no values. */
  static Double median(List<Double> xs) {
    return xs.isEmpty() ? null : round(median(xs.stream().mapToDouble(Double::doubleValue).toArray()));
  }

  /** Two decimals: what a report shows, without pretending to more. */
  static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }
}
