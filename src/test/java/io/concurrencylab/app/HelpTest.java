package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

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
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.out;
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(Main.run(command.split(" "))).isZero();
    } finally {
      System.setOut(saved);
    }
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(Main.VERSION + "\n");
  }

  /** An unknown benchmark is one line on stderr and exit 2, before the machine and Python are probed. */
  @org.junit.jupiter.api.Test
  void anUnknownBenchmarkIsOneLine() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream savedOut = System.out;
    java.io.PrintStream savedErr = System.err;
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(Main.run("bench", "bogus")).isEqualTo(io.concurrencylab.bus.ExitCodes.USAGE);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("lab bench: unknown benchmark 'bogus' (list, factorial, squares, cli, compare or all)\n");
  }

  /** A word that is no command is named as such, with the commands there are. */
  @ParameterizedTest
  @ValueSource(strings = {"bogus|lab: unknown command 'bogus' (commands: ",
      "cluster bogus|lab cluster: unknown command 'bogus' (commands: start, status, stop)"})
  void anUnknownCommandIsNamed(String caseLine) {
    String[] parts = caseLine.split("\\|");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(Main.run(parts[0].split(" "))).isEqualTo(io.concurrencylab.bus.ExitCodes.USAGE);
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith(parts[1]).hasLineCount(1);
  }
}
