package io.concurrencylab.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * How a long-running command ends: on Ctrl-C or SIGTERM (or after a given time), it runs its own stop, then closes
 * Vert.x (a clustered instance leaves the cluster cleanly), and the command exits 0. Signal handlers instead of
 * only a shutdown hook, because after a hook the JVM exits 130/143 and the work in the hook races the exit.
 */
final class Lifecycle {
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private final CountDownLatch signalled = new CountDownLatch(1);
  private volatile String signal;
  private volatile Runnable onSignal = () -> { };

  Lifecycle() {
    this(true);
  }

  /** @param signals whether Ctrl-C and SIGTERM stop it (tests: only {@link #requestStop}) */
  Lifecycle(boolean signals) {
    for (String name : signals ? new String[] {"INT", "TERM"} : new String[0]) {
      Signal.handle(new Signal(name), s -> {
        onSignal.run();
        requestStop("SIG" + s.getName());
      });
    }
  }

  /** Also runs {@code action} (on the signal's thread) when a signal arrives. */
  void onSignal(Runnable action) {
    onSignal = action;
  }

  /** Ends {@link #await} as a signal would (e.g. a node started with --exit-when-ready, once ready). */
  void requestStop(String reason) {
    if (signal == null) {
      signal = reason;
    }
    signalled.countDown();
    stopped.complete(signal);
  }

  private final java.util.concurrent.CompletableFuture<String> stopped = new java.util.concurrent.CompletableFuture<>();

  /**
   * What {@code start} gives, or empty when a signal (or {@link #requestStop}) comes first: a start that hangs (a
   * cluster that does not answer, a file that never ends) still ends on Ctrl-C.
   */
  <T> java.util.Optional<T> unlessStopped(Future<T> start) throws Exception {
    java.util.concurrent.CompletableFuture<T> result = start.toCompletionStage().toCompletableFuture();
    java.util.concurrent.CompletableFuture.anyOf(result, stopped).exceptionally(e -> null).get();
    if (!result.isDone()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.ofNullable(result.get());
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * Waits for a signal, or for {@code limit} when not null.
   *
   * @return the signal's name, or null when the time ran out
   */
  String await(Duration limit) throws InterruptedException {
    if (limit == null) {
      signalled.await();
    } else {
      signalled.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }
    return signal;
  }

  /** Runs {@code stop}, then closes Vert.x, each bounded so a stuck stop cannot keep the process alive. */
  static <T> T stopAndClose(Vertx vertx, Supplier<Future<T>> stop) throws Exception {
    return stopAndClose(vertx, stop, STOP_GRACE);
  }

  static <T> T stopAndClose(Vertx vertx, Supplier<Future<T>> stop, Duration grace) throws Exception {
    try {
      return stop.get().await(grace.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      vertx.close().await(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
