package io.concurrencylab.bench;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.FactorialMessages.Result;
import io.concurrencylab.factorial.FactorialWorkerVerticle;
import io.concurrencylab.factorial.Factorials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Factorials: factorial(100000) on one thread beside the naive loop and Python's {@code math.factorial} (also one
 * thread); and the lesson's Q7, 1..10 on the worker verticles beside a {@code ThreadPoolExecutor} with as many
 * threads, warm against warm and created-and-shut-down against the same, measured side by side in rounds.
 */
public final class FactorialBench {
  static final int N = 100_000;
  /** Threads on both sides of the 1..10 comparison: factorial.instances' default. */
  static final int THREADS = 2;
  /** Batches per round and side; rounds alternate the two sides, so both see the same machine. */
  static final int BATCHES = 101;
  static final int ROUNDS = 3;

  private FactorialBench() {}

  public static void run(Report report) throws Exception {
    bigOne(report);
    oneToTen(report);
  }

  private static void bigOne(Report report) {
    report.title("factorial(" + N + ") on one thread: product tree (odd part + shift) vs naive loop and Python");
    int rounds = 7;
    double[] value = new double[rounds];
    double[] decimal = new double[rounds];
    BigInteger result = null;
    String digits = null;
    for (int i = -3; i < rounds; i++) { // three warm-up rounds
      long t0 = System.nanoTime();
      result = Factorials.factorial(N);
      long t1 = System.nanoTime();
      digits = Factorials.toDecimal(result);
      long t2 = System.nanoTime();
      if (i >= 0) {
        value[i] = (t1 - t0) / 1e6;
        decimal[i] = (t2 - t1) / 1e6;
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
    String sha = sha256(digits);
    int length = digits.length();
    report.figure("value (median of " + rounds + ", warm)", Report.millis(v));
    report.figure("value + decimal string (" + length + " digits)", Report.millis(withString));
    report.figure("baseline: naive loop 1*2*...*n, value (one run)", Report.millis(naiveMs) + " (same value: checked)");
    Python.Lesson py = Python.run("factorials_pool.py", Integer.toString(N), Integer.toString(THREADS), "5");
    report.figure("lesson: Python math.factorial(" + N + "), value (median of 5, warm)", py.or(j ->
        Report.millis(j.getDouble("value_ms")) + " (" + Report.faster(v, j.getDouble("value_ms")) + ")"));
    report.figure("lesson: Python str() of it", py.or(j -> Report.millis(j.getDouble("str_ms"))
        + (j.getString("sha256").equals(sha) && j.getInteger("digits") == length ? " (the same digits: checked)"
            : " (DIFFERENT DIGITS)") + "; value + string: " + Report.faster(withString,
        j.getDouble("value_ms") + j.getDouble("str_ms"))));
    report.verdict("value <= 150 ms", v <= 150, "150 ms");
    report.verdict("value + decimal string <= 500 ms", withString <= 500, "500 ms");
  }

  /**
   * 1..10, all submitted at once, until the last reply: on {@link #THREADS} warm worker verticles (through
   * lab.factorial.compute, as every caller), beside a warm ThreadPoolExecutor of as many threads; and both created,
   * used once and shut down. In rounds that alternate the sides; each figure the median of its rounds' medians.
   */
  private static void oneToTen(Report report) throws Exception {
    report.title("factorials 1..10 (submit all, until the last result): " + THREADS + " worker verticles vs a "
        + "ThreadPoolExecutor(" + THREADS + "), side by side");
    double[] warm = new double[ROUNDS];
    double[] pyWarm = new double[ROUNDS];
    double[] pyCold = new double[ROUNDS];
    Map<Integer, String> values = null;
    Python.Lesson py = null;
    Vertx vertx = Vertx.vertx();
    try {
      FactorialWorkerVerticle.deploy(vertx, THREADS, N, 32).await();
      for (int round = 0; round < ROUNDS; round++) {
        double[] times = new double[BATCHES];
        for (int i = -BATCHES; i < BATCHES; i++) { // as many batches again to warm up
          long start = System.nanoTime();
          values = batch(vertx);
          if (i >= 0) {
            times[i] = (System.nanoTime() - start) / 1e6;
          }
        }
        warm[round] = Report.median(times);
        py = Python.run("factorials_pool.py", "10", Integer.toString(THREADS), Integer.toString(BATCHES));
        if (py.ok()) {
          pyWarm[round] = py.json().getDouble("warm_batch_ms");
          pyCold[round] = py.json().getDouble("cold_batch_ms");
        }
      }
    } finally {
      vertx.close().await();
    }
    double[] cold = new double[5];
    for (int i = 0; i < cold.length; i++) {
      cold[i] = coldBatch();
    }
    double ours = Report.median(warm);
    Map<Integer, String> mine = values;
    report.figure("worker verticles, warm (median of " + ROUNDS + " rounds of " + BATCHES + ")",
        String.format(Locale.ROOT, "%.3f ms (rounds: %s)", ours, rounds(warm)));
    boolean pyOk = py != null && py.ok();
    double theirs = pyOk ? Report.median(pyWarm) : Double.NaN;
    report.figure("lesson: ThreadPoolExecutor(" + THREADS + "), warm (the same rounds)", py == null ? "not run"
        : py.or(j -> String.format(Locale.ROOT, "%.3f ms (rounds: %s); %s; results %s", theirs, rounds(pyWarm),
        Report.faster(ours, theirs), sameBatch(j, mine) ? "the same: checked" : "DIFFERENT")));
    report.figure("worker verticles deployed, used once, undeployed (median of 5)", Report.millis(Report.median(cold)));
    report.figure("lesson: ThreadPoolExecutor(" + THREADS + ") created, used once, shut down", py == null ? "not run"
        : py.or(j -> Report.millis(Report.median(pyCold)) + " (" + Report.faster(Report.median(cold),
        Report.median(pyCold)) + ")"));
    report.verdict("warm 1..10 within 2x the warm ThreadPoolExecutor", pyOk && ours <= 2 * theirs,
        "2x the lesson's; " + (pyOk ? String.format(Locale.ROOT, "measured %.1fx", ours / theirs) : "no baseline"));
  }

  /** 1..10 through lab.factorial.compute, all at once; the values by n once the last reply is in. */
  private static Map<Integer, String> batch(Vertx vertx) {
    List<Future<Result>> all = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      all.add(vertx.eventBus().<JsonObject>request(Addresses.FACTORIAL_COMPUTE, n).map(m -> Result.fromJson(m.body())));
    }
    Future.all(all).await();
    Map<Integer, String> values = new TreeMap<>();
    all.forEach(f -> values.put(f.result().n(), f.result().value()));
    return values;
  }

  /**
   * Deploy the workers, 1..10, undeploy them: the pool created, used once and shut down, as the executor's is. On a
   * Vert.x already running, as the executor's interpreter is, with the JVM's code warm from the part before.
   */
  private static double coldBatch() {
    Vertx vertx = Vertx.vertx();
    try {
      long start = System.nanoTime();
      FactorialWorkerVerticle.deploy(vertx, THREADS, N, 32).await();
      batch(vertx);
      for (String id : List.copyOf(vertx.deploymentIDs())) {
        vertx.undeploy(id).await();
      }
      return (System.nanoTime() - start) / 1e6;
    } finally {
      vertx.close().await();
    }
  }

  private static boolean sameBatch(JsonObject py, Map<Integer, String> ours) {
    Map<Integer, String> theirs = new TreeMap<>();
    py.getJsonObject("batch").forEach(e -> theirs.put(Integer.parseInt(e.getKey()), String.valueOf(e.getValue())));
    return theirs.equals(ours);
  }

  private static String rounds(double[] xs) {
    return String.join(", ", Arrays.stream(xs).mapToObj(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
  }

  static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
