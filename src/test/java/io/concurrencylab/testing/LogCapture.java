package io.concurrencylab.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what the app logs at WARN and above while it is open, so a test can assert that hostile input left no
 * warning or stack trace in the log.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      synchronized (LogCapture.this) {
        super.append(event);
        LogCapture.this.notifyAll();
      }
    }
  };

  public LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  /** Every WARN or ERROR so far, as "LEVEL logger: message [exception]". */
  public synchronized List<String> warnings() {
    return List.copyOf(appender.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + "]"))
        .toList();
  }

  /** Waits (on each line logged, not by polling) for a warning containing {@code part}; empty past the timeout. */
  public synchronized java.util.Optional<String> awaitWarning(String part, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (true) {
      java.util.Optional<String> found = warnings().stream().filter(w -> w.contains(part)).findFirst();
      long leftMs = (deadline - System.nanoTime()) / 1_000_000;
      if (found.isPresent() || leftMs <= 0) {
        return found;
      }
      wait(leftMs);
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
