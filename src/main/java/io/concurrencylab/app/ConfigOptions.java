package io.concurrencylab.app;

import io.concurrencylab.config.LabConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command shares: where the configuration comes from. */
final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "A JSON file overriding conf/config.json "
      + "(default: $LAB_CONFIG, else conf/config.json of this checkout when present).")
  Path file;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key, e.g. --set http.port=8081 "
      + "(repeatable; beats the environment, e.g. LAB_HTTP_PORT=8081).")
  List<String> overrides = new ArrayList<>();

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--verbose", description = "Print stack traces of unexpected errors.")
  boolean verbose;

  LabConfig load() {
    Path source = file;
    if (source == null && System.getenv("LAB_CONFIG") != null) {
      source = Path.of(System.getenv("LAB_CONFIG"));
    }
    if (source == null && System.getProperty("lab.home") != null) {
      Path checkout = Path.of(System.getProperty("lab.home"), "conf", "config.json");
      source = Files.exists(checkout) ? checkout : null;
    }
    return LabConfig.load(source, System.getenv(), overrides);
  }
}
