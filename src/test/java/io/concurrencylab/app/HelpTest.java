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
}
