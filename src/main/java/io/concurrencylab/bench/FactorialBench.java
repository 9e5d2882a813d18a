package io.concurrencylab.bench;

import io.concurrencylab.factorial.Factorials;
import java.math.BigInteger;

/** factorial(100000): this project's product tree and its decimal string, beside the naive loop and toString(). */
public final class FactorialBench {
  static final int N = 100_000;

  private FactorialBench() {}

  /** 1..10 on two worker verticles through the event bus, warm: median of 7. */
  static double batchOnWorkers() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.concurrencylab.factorial.FactorialWorkerVerticle.deploy(vertx, 2, N).await();
      double[] times = new double[10];
      for (int round = -3; round < 7; round++) {
        long start = System.nanoTime();
        java.util.List<io.vertx.core.Future<?>> all = new java.util.ArrayList<>();
        for (int n = 1; n <= 10; n++) {
          all.add(vertx.eventBus().request(io.concurrencylab.bus.Addresses.FACTORIAL_COMPUTE, n));
        }
        io.vertx.core.Future.all(all).await();
        if (round >= 0) {
          times[round] = (System.nanoTime() - start) / 1e6;
        }
      }
      return Report.median(java.util.Arrays.copyOf(times, 7));
    } finally {
      vertx.close().await();
    }
  }

  static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

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
    String digits = result.toString();
    double batch = batchOnWorkers();
    Python.lesson("factorials_pool.py", Integer.toString(N)).ifPresentOrElse(py -> {
      boolean same = py.getString("sha256").equals(sha256(digits)) && py.getInteger("digits") == digits.length();
      report.figure("lesson: Python math.factorial(" + N + "), value", Report.millis(py.getDouble("value_ms"))
          + " (" + Report.faster(v, py.getDouble("value_ms")) + ")");
      report.figure("lesson: Python str() of it (" + (same ? "same digits" : "DIFFERENT DIGITS") + ")",
          Report.millis(py.getDouble("str_ms")) + " (value + string: "
          + Report.faster(withString, py.getDouble("value_ms") + py.getDouble("str_ms")) + ")");
      report.figure("lesson: Python ThreadPoolExecutor, factorials 1..10", Report.millis(py.getDouble("batch_ms"))
          + " (" + Report.faster(batch, py.getDouble("batch_ms")) + ")");
    }, () -> report.figure("lesson: Python math.factorial", Python.unavailable()));
    report.figure("worker verticles, factorials 1..10 (submit all, last reply)", Report.millis(batch));
    report.verdict("value <= 150 ms", v <= 150, "150 ms");
    report.verdict("value + decimal string <= 500 ms", withString <= 500, "500 ms");
  }
}
