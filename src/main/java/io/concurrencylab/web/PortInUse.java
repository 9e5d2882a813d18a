package io.concurrencylab.web;

import io.vertx.core.Future;
import java.net.BindException;

/** A port that cannot be bound is the user's to choose (exit 2, one line naming its key), not an unexpected error. */
final class PortInUse {
  private PortInUse() {}

  static <T> Future<T> explain(Throwable failure, String key, String host, int port) {
    if (!(failure instanceof BindException)) {
      return Future.failedFuture(failure);
    }
    return Future.failedFuture(new IllegalArgumentException(key + " " + port + " on " + host + ": " + failure
        .getMessage() + " (another serve?); stop it or choose another with --set " + key + "=N (0: any free port)"));
  }
}
