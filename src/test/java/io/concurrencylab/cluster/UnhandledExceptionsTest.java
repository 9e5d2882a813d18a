package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnhandledExceptionsTest {
  private static IllegalStateException thrownAt(String className, String method, String message) {
    IllegalStateException e = new IllegalStateException(message);
    e.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 104),
        new StackTraceElement(className, method, "X.java", 86),
        new StackTraceElement("io.concurrencylab.squares.Scheduler", "send", "Scheduler.java", 168)});
    return e;
  }

  @Test
  void onlyVertxsDoubleFailureOfAWriteToALostNodeIsNoise() {
    String connection = "io.vertx.core.eventbus.impl.clustered.OutboundConnection";
    assertThat(UnhandledExceptions.isFailedWriteToALostNode(
        thrownAt(connection, "writeMessage", "Promise already completed"))).isTrue();
    // anything else is still an error worth its stack trace
    assertThat(UnhandledExceptions.isFailedWriteToALostNode(
        thrownAt("io.concurrencylab.squares.Scheduler", "received", "Promise already completed"))).isFalse();
    assertThat(UnhandledExceptions.isFailedWriteToALostNode(thrownAt(connection, "writeMessage", "other"))).isFalse();
    assertThat(UnhandledExceptions.isFailedWriteToALostNode(new IllegalArgumentException("Promise already completed")))
        .isFalse();
  }
}
