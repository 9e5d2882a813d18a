package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** A node's logging keeps conf/logback.xml's levels without logback. */
class NodeLoggingTest {
  private final ILoggerFactory loggers = new NodeLogging().getLoggerFactory();

  @Test
  void levelsAreThoseOfLogbackXml() {
    assertThat(NodeLogging.threshold("io.concurrencylab.squares.Coordinator", null)).isEqualTo(Level.INFO);
    assertThat(NodeLogging.threshold("io.concurrencylab.squares.Coordinator", "debug")).isEqualTo(Level.DEBUG);
    // logback's other names, and no value a node cannot start with (it stopped at its first log line)
    assertThat(NodeLogging.threshold("io.concurrencylab.squares.Coordinator", "off")).isNull();
    assertThat(NodeLogging.threshold("io.concurrencylab.squares.Coordinator", " ALL ")).isEqualTo(Level.TRACE);
    assertThat(NodeLogging.threshold("io.concurrencylab.squares.Coordinator", "garbage")).isEqualTo(Level.INFO);
    assertThat(NodeLogging.threshold("com.hazelcast.internal.cluster.ClusterService", "DEBUG")).isEqualTo(Level.ERROR);
    assertThat(NodeLogging.threshold("io.netty.channel.Channel", null)).isEqualTo(Level.WARN);
    assertThat(NodeLogging.threshold("io.vertx.core.impl.ContextImpl", null)).isEqualTo(Level.WARN);
    assertThat(NodeLogging.threshold("io.vertx.core.net.impl.ConnectionBase", null)).as("off").isNull();
    assertThat(NodeLogging.threshold("io.vertx.core.eventbus.impl.clustered.ClusteredEventBus", null))
        .isEqualTo(Level.ERROR);
  }

  /** Every logger conf/logback.xml names has the same threshold in a node: the two cannot drift apart. */
  @Test
  void everyLoggerOfLogbackXmlHasItsLevelInANode() throws Exception {
    var xml = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(java.nio.file.Path.of("conf", "logback.xml").toFile());
    var loggers = xml.getElementsByTagName("logger");
    assertThat(loggers.getLength()).isGreaterThan(5);
    for (int i = 0; i < loggers.getLength(); i++) {
      var logger = (org.w3c.dom.Element) loggers.item(i);
      String name = logger.getAttribute("name");
      String level = logger.getAttribute("level");
      if (level.startsWith("${LAB_LOG_LEVEL")) {
        assertThat(NodeLogging.threshold(name + ".Any", null)).as(name).isEqualTo(Level.INFO);
        continue;
      }
      assertThat(NodeLogging.threshold(name, null)).as(name)
          .isEqualTo(level.equals("OFF") ? null : Level.valueOf(level));
    }
  }

  @Test
  void loggersAnswerWhatTheyWouldPrint() {
    assertThat(loggers.getLogger("com.hazelcast.system").isWarnEnabled()).isFalse();
    assertThat(loggers.getLogger("com.hazelcast.system").isErrorEnabled()).isTrue();
    assertThat(loggers.getLogger("io.vertx.core.Vertx").isInfoEnabled()).isFalse();
    assertThat(loggers.getLogger("io.vertx.core.Vertx").isWarnEnabled()).isTrue();
    assertThat(loggers.getLogger("x").getName()).isEqualTo("x");
    assertThat(loggers.getLogger("x")).isSameAs(loggers.getLogger("x"));
  }

  @Test
  void longNamesAreShortenedLikeLogbacksPattern() {
    assertThat(NodeLogging.shortName("com.hazelcast.internal.cluster.ClusterService")).isEqualTo("c.h.i.c.ClusterService");
    assertThat(NodeLogging.shortName("io.netty.Short")).isEqualTo("io.netty.Short");
    assertThat(NodeLogging.shortName("NoPackageButAVeryLongName")).isEqualTo("NoPackageButAVeryLongName");
  }

  /**
   * Vert.x looks for an SLF4J provider with System.err swapped for a throwaway buffer (to hide SLF4J's complaints
   * when there is none), which is when a node's logging starts: a node that kept that stream logged nothing at all.
   */
  @Test
  void logsToTheStderrOfTheMomentNotTheOneSeenAtStart() {
    PrintStream real = System.err;
    ByteArrayOutputStream swallowed = new ByteArrayOutputStream();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(swallowed, true, StandardCharsets.UTF_8));
      Logger log = new NodeLogging().getLoggerFactory().getLogger("io.concurrencylab.cluster.Test");
      System.setErr(new PrintStream(seen, true, StandardCharsets.UTF_8));
      log.warn("parent process {} is gone", 42);
    } finally {
      System.setErr(real);
    }
    assertThat(seen.toString(StandardCharsets.UTF_8)).contains(" WARN  [").endsWith("i.c.c.Test - parent process 42 is gone"
        + System.lineSeparator());
    assertThat(swallowed.size()).isZero();
  }
}
