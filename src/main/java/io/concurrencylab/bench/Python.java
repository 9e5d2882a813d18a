package io.concurrencylab.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * The lesson's own programs as baselines: the scripts in {@code launcher/lesson/}, run with python3 on the same
 * inputs. Empty (and the benchmark says "skipped") when python3 or the scripts are not there.
 */
final class Python {
  private Python() {}

  /** Why the Python column is empty, or null when it is not. */
  static String unavailable() {
    if (script("list_lock.py").isEmpty()) {
      return "skipped: launcher/lesson/ not found (run from a checkout, through launcher/lab)";
    }
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "skipped: python3 did not run";
    } catch (IOException | InterruptedException e) {
      return "skipped: no python3 on this machine";
    }
  }

  /** Runs {@code launcher/lesson/<name> args...}; its last output line is JSON. */
  static Optional<JsonObject> lesson(String name, String... args) {
    Optional<Path> script = script(name);
    if (script.isEmpty() || unavailable() != null) {
      return Optional.empty();
    }
    List<String> command = new ArrayList<>(List.of("python3", script.get().toString()));
    command.addAll(List.of(args));
    return run(command).map(JsonObject::new);
  }

  private static Optional<Path> script(String name) {
    String home = System.getProperty("lab.home");
    Path path = Path.of(home == null ? "." : home, "launcher", "lesson", name);
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  /** Creating and closing {@code multiprocessing.Pool(size)}: the lesson's pool formation. */
  static OptionalDouble poolCreation(int size) {
    if (unavailable() != null) {
      return OptionalDouble.empty();
    }
    return run(List.of("python3", "-c", "import multiprocessing as mp, time\n"
        + "if __name__ == '__main__':\n"
        + "    t = time.perf_counter(); p = mp.Pool(" + size + "); p.close(); p.join()\n"
        + "    print((time.perf_counter() - t) * 1000)\n"))
        .map(s -> OptionalDouble.of(Double.parseDouble(s))).orElse(OptionalDouble.empty());
  }

  private static Optional<String> run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return out.lines().reduce((a, b) -> b);
    } catch (IOException | InterruptedException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
