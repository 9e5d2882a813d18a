package io.concurrencylab.factorial;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.FactorialMessages.Request;
import io.concurrencylab.bus.FactorialMessages.Result;
import io.concurrencylab.bus.Failures;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Q7 as a program ({@code lab factorials}): every n is submitted at once, and each result is printed as it
 * completes, like {@code as_completed} over a ThreadPoolExecutor. Bad values are refused by the workers themselves
 * (the same validation every caller gets) and reported on the error stream; the others still print.
 */
public final class FactorialProgram {
  /** Values longer than this are shown with their head, tail and digit count unless full output is asked for. */
  static final int SHOWN_DIGITS = 200;

  private FactorialProgram() {}

  /** The lesson's default input: 1..10. */
  public static List<String> defaultInput() {
    List<String> ns = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      ns.add(Integer.toString(i));
    }
    return ns;
  }

  /**
   * Sends one request per argument and prints each outcome as it arrives.
   *
   * @return a future of the number of failed requests, completed once every request has been answered
   */
  public static Future<Integer> run(Vertx vertx, List<String> args, long timeoutMs, boolean full, Consumer<String> out,
      Consumer<String> err) {
    return run(vertx, args, timeoutMs, full, false, out, err);
  }

  /** With {@code threads}, each line also tells which worker thread computed it and how long it took. */
  public static Future<Integer> run(Vertx vertx, List<String> args, long timeoutMs, boolean full, boolean threads,
      Consumer<String> out, Consumer<String> err) {
    List<Future<?>> all = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    for (String arg : args) {
      Future<?> f = vertx.eventBus().<JsonObject>request(Addresses.FACTORIAL_COMPUTE, Request.fromText(arg), options)
          .map(msg -> Result.fromJson(msg.body()))
          .onSuccess(r -> out.accept("Factorial of " + r.n() + " is " + shown(r, full)
              + (threads ? "  [" + r.thread() + ", " + r.micros() + " µs]" : "")))
          .onFailure(e -> {
            failed.incrementAndGet();
            err.accept("Factorial of " + arg + " failed: " + Failures.describe(e));
          });
      all.add(f);
    }
    return Future.join(all).transform(ar -> Future.succeededFuture(failed.get()));
  }

  static String shown(Result r, boolean full) {
    if (full || r.value().length() <= SHOWN_DIGITS) {
      return r.value();
    }
    return r.value().substring(0, 40) + "..." + r.value().substring(r.value().length() - 20) + " (" + r.digits()
        + " digits; --full prints them all)";
  }
}
