package io.concurrencylab.cluster;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The logging of node processes: SLF4J straight to stderr (the node's log file), with the levels and line format of
 * {@code conf/logback.xml}. {@link NodeProcesses} selects it with {@code -Dslf4j.provider}, so a node does not load
 * and configure logback: ~500 classes and an XML parse fewer in each of the N processes a sweep starts at once
 * (measured: about 50 ms of CPU and 2-3 MB of RSS per node). Every other process logs through logback as before.
 */
public final class NodeLogging implements SLF4JServiceProvider {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final ILoggerFactory loggers = new Factory();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    // nothing to set up: that is the point
  }

  /** The threshold of a logger, as conf/logback.xml sets it (LAB_LOG_LEVEL for the app's own loggers). */
  static Level threshold(String name, String labLevel) {
    if (name.startsWith("io.concurrencylab")) {
      // as logback reads it (commands refuse another value at start, LabConfig.LOG_LEVELS); never a node that
      // cannot log because of it
      return switch (labLevel == null ? "INFO" : labLevel.trim().toUpperCase(java.util.Locale.ROOT)) {
        case "OFF" -> null;
        case "ERROR" -> Level.ERROR;
        case "WARN" -> Level.WARN;
        case "DEBUG" -> Level.DEBUG;
        case "TRACE", "ALL" -> Level.TRACE;
        default -> Level.INFO;
      };
    }
    if (name.equals(CONNECTION_BASE)) {
      return null; // off: a member that goes resets connections; see conf/logback.xml
    }
    if (name.equals(VERTX_IMPL)) {
      return null; // off: a failed clustered start, which the command reports in one line; see conf/logback.xml
    }
    if (name.equals(FETCH_MEMBERS_VIEW) || name.equals(PARTITION_ITERATING)) {
      return null; // off: Hazelcast's race with a member that wakes from a freeze; see conf/logback.xml
    }
    return name.startsWith("com.hazelcast") || name.equals(CLUSTERED_EVENT_BUS) || name.equals(MESSAGE_CONSUMER)
        || name.equals(METER_REGISTRY) ? Level.ERROR : Level.WARN;
  }

  private static final String CONNECTION_BASE = "io.vertx.core.net.impl.ConnectionBase";
  private static final String VERTX_IMPL = "io.vertx.core.impl.VertxImpl";
  private static final String CLUSTERED_EVENT_BUS = "io.vertx.core.eventbus.impl.clustered.ClusteredEventBus";
  private static final String MESSAGE_CONSUMER = "io.vertx.core.eventbus.impl.MessageConsumerImpl";
  private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
  private static final String FETCH_MEMBERS_VIEW = "com.hazelcast.internal.cluster.impl.operations.FetchMembersViewOp";
  private static final String PARTITION_ITERATING =
      "com.hazelcast.spi.impl.operationservice.impl.operations.PartitionIteratingOperation";

  /** {@code com.hazelcast.internal.cluster.ClusterService} → {@code c.h.i.c.ClusterService}, like logback's %logger{20}. */
  static String shortName(String name) {
    int last = name.lastIndexOf('.');
    if (name.length() <= 20 || last < 0) {
      return name;
    }
    StringBuilder shortened = new StringBuilder();
    int start = 0;
    for (int dot = name.indexOf('.'); dot >= 0 && dot <= last; dot = name.indexOf('.', start)) {
      shortened.append(name.charAt(start)).append('.');
      start = dot + 1;
    }
    return shortened.append(name, last + 1, name.length()).toString();
  }

  /**
   * One line in the format of every log line ({@code conf/logback.xml}'s pattern), for what a node prints on its
   * standard output (its log file when launched): the page's log view shows every line with its time.
   */
  public static String line(String level, Class<?> logger, String message) {
    return LocalTime.now().format(TIME) + " " + String.format("%-5s", level) + " [" + Thread.currentThread().getName()
        + "] " + shortName(logger.getName()) + " - " + message;
  }

  private static final class Factory implements ILoggerFactory {
    private final Map<String, Logger> byName = new ConcurrentHashMap<>();
    private final String labLevel = System.getenv("LAB_LOG_LEVEL");

    @Override
    public Logger getLogger(String name) {
      return byName.computeIfAbsent(name, n -> new StderrLogger(n, threshold(n, labLevel)));
    }
  }

  private static final class StderrLogger extends LegacyAbstractLogger {
    private final int threshold;
    private final String shortName;

    StderrLogger(String name, Level threshold) {
      this.name = name;
      this.threshold = threshold == null ? Integer.MAX_VALUE : threshold.toInt(); // null: off
      this.shortName = shortName(name);
    }

    private boolean on(Level level) {
      return level.toInt() >= threshold;
    }

    @Override
    public boolean isTraceEnabled() {
      return on(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return on(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return on(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return on(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return on(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
        Throwable throwable) {
      String line = LocalTime.now().format(TIME) + " " + String.format("%-5s", level) + " ["
          + Thread.currentThread().getName() + "] " + shortName + " - "
          + MessageFormatter.basicArrayFormat(pattern, arguments);
      // System.err of this moment, not of when logging started: Vert.x starts SLF4J with System.err swapped for a
      // throwaway buffer (to hide SLF4J's complaints when no provider is there), so a stream kept then drops every line
      PrintStream out = System.err;
      synchronized (out) {
        out.println(line);
        if (throwable != null) {
          throwable.printStackTrace(out);
        }
      }
    }
  }
}
