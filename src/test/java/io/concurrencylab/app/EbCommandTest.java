package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The eb command line, up to the point where it would need a running app (the IT goes further). */
class EbCommandTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private String originalLogger;
  private static int closedPort;

  @BeforeEach
  void captureStderr() throws Exception {
    originalErr = System.err;
    originalLogger = System.getProperty("vertx.logger-delegate-factory-class-name");
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    if (originalLogger == null) { // eb switches Vert.x logging to JUL; leave the JVM as we found it
      System.clearProperty("vertx.logger-delegate-factory-class-name");
    }
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void optionsReachTheSubcommand() {
    ParseResult parsed = new CommandLine(new Main()).setExpandAtFiles(false).parseArgs("eb", "request",
        "lab.list.add", "@body.json", "--header", "a=b", "--header", "c=d", "--timeout", "250", "--json",
        "--port", "7001", "--set", "requestTimeoutMs=5");
    EbCommand.Request request = (EbCommand.Request) parsed.subcommand().subcommand().commandSpec().userObject();

    assertThat(request.address).isEqualTo("lab.list.add");
    assertThat(request.body).isEqualTo("@body.json");
    assertThat(request.headers).containsExactly("a=b", "c=d");
    assertThat(request.timeoutMs).isEqualTo(250);
    assertThat(request.json).isTrue();
    assertThat(request.connection.port).isEqualTo(7001);
    assertThat(request.connection.host).isNull();
    assertThat(request.connection.config().requestTimeoutMs()).isEqualTo(5);
  }

  @Test
  void aBodyFileIsReadByEbNotExpandedByPicocli(@TempDir Path dir) throws Exception {
    Path body = Files.writeString(dir.resolve("body.json"), "{\"value\": ");
    int code = Main.run("eb", "request", "lab.list.add", "@" + body, "--port", String.valueOf(closedPort));

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).startsWith("lab eb: malformed JSON body (from " + body + ")").hasLineCount(1);
  }

  /** picocli's "'1.5' is not a long" said as the config keys say it. */
  @Test
  void aNumberOptionGivenSomethingElseSaysItTakesAWholeNumber() {
    int code = Main.run("eb", "request", "lab.list.add", "1", "--timeout", "1.5", "--port", String.valueOf(closedPort));

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).isEqualTo("lab eb request: --timeout takes a whole number, got '1.5' (see: lab eb request "
        + "--help)" + System.lineSeparator());
    err.reset();
    assertThat(Main.run("cluster", "start", "abc")).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).startsWith("lab cluster start: N takes a whole number, got 'abc' (see:").hasLineCount(1);
    err.reset();
    assertThat(Main.run("cluster", "start", "2147483648")).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).startsWith("lab cluster start: N is out of range: 2147483648 (at most 2147483647) (see:");
  }

  @Test
  void tailRefusesARequestAddressBeforeConnecting() {
    int code = Main.run("eb", "tail", "lab.list.add", "--port", String.valueOf(closedPort));

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).startsWith("lab eb: cannot tail lab.list.add").contains("round-robin").hasLineCount(1);
  }

  @Test
  void anUnreachableAppIsOneLineAndExitCode7() {
    int code = Main.run("eb", "request", "lab.list.snapshot", "--port", String.valueOf(closedPort));

    assertThat(code).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(stderr()).startsWith("lab eb: the app is not reachable at 127.0.0.1:" + closedPort)
        .contains("launcher/lab serve").hasLineCount(1);
  }

  @Test
  void verboseAddsTheStackTrace() {
    Main.run("eb", "send", "lab.list.add", "1", "--port", String.valueOf(closedPort), "--verbose");

    assertThat(stderr()).contains("lab eb: the app is not reachable").contains("\tat ");
  }

  @Test
  void badValuesAreUsageErrors() {
    assertThat(Main.run("eb")).isEqualTo(ExitCodes.USAGE);
    assertThat(Main.run("eb", "request")).isEqualTo(ExitCodes.USAGE);
    assertThat(Main.run("eb", "request", "lab.list.snapshot", "--timeout", "0")).isEqualTo(ExitCodes.USAGE);
    assertThat(Main.run("eb", "tail", "lab.list.changed", "--count", "0")).isEqualTo(ExitCodes.USAGE);
    assertThat(Main.run("eb", "send", "lab.list.add", "1", "--header", "timeout=5")).isEqualTo(ExitCodes.USAGE);
    assertThat(Main.run("eb", "request", "lab.list.snapshot", "--port", "70000")).isEqualTo(ExitCodes.USAGE);
    assertThat(Main.run("eb", "request", "lab.list.snapshot", "--set", "bridge.port=0")).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("pass --port");
  }
}
