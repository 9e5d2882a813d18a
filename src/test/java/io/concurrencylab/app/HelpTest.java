package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.testing.Captured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command and subcommand explains itself with --help and exits 0. */
class HelpTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "serve", "list", "factorials", "squares", "node", "cluster", "cluster start",
      "cluster status", "cluster stop", "eb", "eb request", "eb send", "eb publish", "eb tail", "bench", "compare"})
  void helpExitsZero(String command) {
    String[] words = command.isEmpty() ? new String[0] : command.split(" ");
    String[] args = java.util.Arrays.copyOf(words, words.length + 1);
    args[words.length] = "--help";
    assertThat(Main.run(args)).as("lab " + command + " --help").isZero();
  }

  /** Each command that offers -V/--version prints the version, not nothing. */
  @ParameterizedTest
  @ValueSource(strings = {"-V", "cluster -V", "eb --version"})
  void versionPrintsTheVersion(String command) {
    Captured run = Captured.run(() -> Main.run(command.split(" ")));
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo(Main.VERSION + "\n");
  }

  /** An unknown benchmark is one line on stderr and exit 2, before the machine and Python are probed. */
  @Test
  void anUnknownBenchmarkIsOneLine() {
    Captured run = Captured.run(() -> Main.run("bench", "bogus"));
    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("lab bench: unknown benchmark 'bogus' (list, factorial, squares, cli, compare or all)\n");
  }

  /** A word that is no command is named as such, with the commands there are. */
  @ParameterizedTest
  @ValueSource(strings = {"bogus|lab: unknown command 'bogus' (commands: ",
      "cluster bogus|lab cluster: unknown command 'bogus' (commands: start, status, stop)"})
  void anUnknownCommandIsNamed(String caseLine) {
    String[] parts = caseLine.split("\\|");
    Captured run = Captured.run(() -> Main.run(parts[0].split(" ")));
    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith(parts[1]).hasLineCount(1);
  }
}
