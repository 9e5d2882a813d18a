package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A sweep's node command line is read without picocli: it must read exactly as picocli reads it. */
class NodeCommandTest {
  private static final String SWEEP = "--cluster-name lab-sweep-x --host 127.0.0.1 --members 127.0.0.1:5801,127.0.0.1:5802 "
      + "--port 5801 --port-count 20 --parent-pid 4242 --parent-pipe --report-ready --ready-timeout-ms 60000 "
      + "--role squares-node --lite";

  @ParameterizedTest
  @ValueSource(strings = {SWEEP, "--cluster-name c --host h --port 1 --port-count 2",
      "--cluster-name c --host h --port 1 --port-count 2 --exit-when-ready --role node",
      "--cluster-name c --host h --port 1 --port-count 2 --role node --event-bus-port-offset 40 --join a:1,b:2 --join c:3",
      // lab cluster start's nodes
      "--cluster-name c --host h --port 1 --port-count 2 --role node --event-bus-port-offset 40 --stop-set runs/cluster/stopping.json",
      "--cluster-name c --host h --port 1 --port-count 2 --role node --event-bus-port-offset 40 --data-members 2"})
  void readsWhatPicocliReads(String line) {
    String[] args = line.split(" ");
    NodeCommand quick = NodeCommand.parseQuickly(args).orElseThrow();
    NodeCommand picocli = new NodeCommand();
    new CommandLine(picocli).parseArgs(args);
    assertThat(quick).usingRecursiveComparison().ignoringFields("options").isEqualTo(picocli);
  }

  /** Anything else goes to picocli: help, configuration, a typo, a missing or malformed value, a value not given. */
  @ParameterizedTest
  @ValueSource(strings = {"--help", "--cluster-name c --host h --port 1 --port-count 2 --set cluster.port=1",
      "--cluster-name c --host h --port 1 --port-count 2 --prot 3", "--cluster-name c --host h --port 1",
      "--cluster-name c --host h --port one --port-count 2", "--cluster-name c --host h --port 1 --port-count",
      "--cluster-name c --host h --port 1 --port-count 2 --report-ready", "",
      "--cluster-name c --host h --port 1 --port-count 2 --data-members 0",
      "--cluster-name c --host h --port 1 --port-count 2 --lite --data-members 2"})
  void leavesEverythingElseToPicocli(String line) {
    assertThat(NodeCommand.parseQuickly(line.isEmpty() ? new String[0] : line.split(" "))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {SWEEP})
  void theSweepsCommandLineIsReadQuickly(String line) {
    assertThat(NodeCommand.parseQuickly(line.split(" "))).hasValueSatisfying(node -> {
      assertThat(node.members).isEqualTo(List.of("127.0.0.1:5801", "127.0.0.1:5802"));
      assertThat(node.readyTimeoutMs).isEqualTo(60_000L);
      assertThat(node.lite).isTrue();
    });
  }

  /** Each option by the rule of its configuration key: exit 2 and one line, before anything joins. */
  @ParameterizedTest
  @ValueSource(strings = {"--event-bus-port-offset -3|--event-bus-port-offset must be 0",
      "--cluster-name |--cluster-name takes 1 to 64", "--role |--role takes 1 to 64",
      "--members x y|--members takes HOST:PORT", "--ready-timeout-ms -1|--ready-timeout-ms must be at least 1",
      "--parent-pid -5|--parent-pid must be a process id", "--port-count 0|--port-count must be between 1 and 65535",
      "--port 70000|--port must be between 1 and 65535", "--data-members 0|--data-members must be between 1 and 64",
      "--data-members 65|--data-members must be between 1 and 64"})
  void aBadValueIsExit2AndOneLine(String caseLine) {
    String[] parts = caseLine.split("\\|");
    String option = parts[0].substring(0, parts[0].indexOf(' '));
    String value = parts[0].substring(parts[0].indexOf(' ') + 1);
    io.concurrencylab.testing.Captured run = io.concurrencylab.testing.Captured.run(() -> Main.run("node",
        "--cluster-name", "c", "--host", "127.0.0.1", "--port", "1", "--port-count", "2", option, value));
    String stderr = run.err();
    assertThat(run.code()).as(stderr).isEqualTo(io.concurrencylab.bus.ExitCodes.USAGE);
    assertThat(stderr).startsWith("lab: " + parts[1]).hasLineCount(1);
  }
}
