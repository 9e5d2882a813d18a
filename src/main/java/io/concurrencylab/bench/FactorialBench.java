package io.concurrencylab.bench;

import io.concurrencylab.factorial.Factorials;
import java.math.BigInteger;

/** factorial(100000): this project's product tree and its decimal string, beside the naive loop and toString(). */
public final class FactorialBench {
  static final int N = 100_000;

  private FactorialBench() {}

  public static void run(Report report) {
    report.title("factorial(" + N + "): split product tree (odd part + shift, both cores) vs naive loop");
    int rounds = 7;
    double[] value = new double[rounds];
    double[] decimal = new double[rounds];
    double[] jdkDecimal = new double[rounds];
    BigInteger result = null;
    for (int i = -3; i < rounds; i++) { // three warm-up rounds
      long t0 = System.nanoTime();
      result = Factorials.factorial(N);
      long t1 = System.nanoTime();
      String digits = Factorials.toDecimal(result);
      long t2 = System.nanoTime();
      String jdk = result.toString();
      long t3 = System.nanoTime();
      if (!digits.equals(jdk)) {
        throw new IllegalStateException("parallel decimal conversion differs from BigInteger.toString");
      }
      if (i >= 0) {
        value[i] = (t1 - t0) / 1e6;
        decimal[i] = (t2 - t1) / 1e6;
        jdkDecimal[i] = (t3 - t2) / 1e6;
      }
    }
    long t0 = System.nanoTime();
    BigInteger naive = Factorials.naive(N);
    double naiveMs = (System.nanoTime() - t0) / 1e6;
    if (!naive.equals(result)) {
      throw new IllegalStateException("product tree and naive loop disagree");
    }
    double v = Report.median(value);
    double withString = v + Report.median(decimal);
    report.figure("value (median of " + rounds + ", warm)", Report.millis(v));
    report.figure("value + decimal string (" + result.toString().length() + " digits)", Report.millis(withString));
    report.figure("baseline: naive loop 1*2*...*n, value", Report.millis(naiveMs));
    report.figure("baseline: BigInteger.toString() of the value", Report.millis(Report.median(jdkDecimal)));
    report.verdict("value <= 150 ms", v <= 150, "150 ms");
    report.verdict("value + decimal string <= 500 ms", withString <= 500, "500 ms");
  }
}
