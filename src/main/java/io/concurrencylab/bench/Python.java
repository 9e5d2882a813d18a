package io.concurrencylab.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The lesson's own programs as baselines: the scripts in {@code launcher/lesson/}, run with python3 on the same
 * inputs. A script that cannot run says why in the report (python3 missing, the script's own error, a timeout),
 * never an empty or "null" cell.
 */
final class Python {
  /** How long one script may run before it is killed and reported as timed out. */
  static final long TIMEOUT_S = 300;
  private static volatile String lastError;

  private Python() {}

  /** What a script gave: its JSON (the last line of its output), or why there is none. */
  record Lesson(JsonObject json, String error) {
    boolean ok() {
      return json != null;
    }

    /** {@code shown(json)} when the script ran, else its error, for a report cell. */
    String or(Function<JsonObject, String> shown) {
      return ok() ? shown.apply(json) : error;
    }
  }

  /** Why the Python column is empty: python3 missing, or the last script that ran failed (and how); else null. */
  static String unavailable() {
    if (script("list_lock.py").isEmpty()) {
      return "skipped: launcher/lesson/ not found (run from a checkout, through launcher/lab)";
    }
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return "skipped: python3 did not run";
      }
    } catch (IOException | InterruptedException e) {
      return "skipped: no python3 on this machine";
    }
    return lastError;
  }

  /** Runs {@code launcher/lesson/<name> args...}: its JSON, or empty (then {@link #unavailable()} says why). */
  static Optional<JsonObject> lesson(String name, String... args) {
    return Optional.ofNullable(run(name, args).json());
  }

  /** Runs {@code launcher/lesson/<name> args...} within {@link #TIMEOUT_S}: its JSON, or why there is none. */
  static Lesson run(String name, String... args) {
    Optional<Path> script = script(name);
    String why = script.isEmpty() ? "skipped: launcher/lesson/" + name + " not found" : unavailableOnly();
    Lesson lesson = why != null ? new Lesson(null, why) : run(script.get(), List.of(args));
    lastError = lesson.error();
    return lesson;
  }

  private static String unavailableOnly() {
    String why = unavailable();
    return why != null && why.startsWith("skipped") ? why : null;
  }

  private static Optional<Path> script(String name) {
    String home = System.getProperty("lab.home");
    Path path = Path.of(home == null ? "." : home, "launcher", "lesson", name);
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  /** Output goes to files, not a pipe read to its end: the timeout applies even to a script that never ends. */
  private static Lesson run(Path script, List<String> args) {
    List<String> command = new ArrayList<>(List.of("python3", script.toString()));
    command.addAll(args);
    String shown = "python3 " + script.getFileName() + (args.isEmpty() ? "" : " " + String.join(" ", args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("lab-python", ".out");
      err = Files.createTempFile("lab-python", ".err");
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Lesson(null, "FAILED: " + shown + " timed out after " + TIMEOUT_S + " s");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
      String stderr = Files.readString(err, StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        return new Lesson(null, "FAILED: " + shown + " exited " + p.exitValue() + ": " + last(stderr));
      }
      String line = stdout.lines().reduce((a, b) -> b).orElse("");
      try {
        return new Lesson(new JsonObject(line), null);
      } catch (RuntimeException e) {
        return new Lesson(null, "FAILED: " + shown + " printed no JSON last line: " + last(stdout + "\n" + stderr));
      }
    } catch (IOException e) {
      return new Lesson(null, "FAILED: " + shown + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Lesson(null, "FAILED: " + shown + ": interrupted");
    } finally {
      delete(out);
      delete(err);
    }
  }

  /** The last non-blank line of a script's output (a traceback ends with the error), at most 200 characters. */
  private static String last(String text) {
    String line = text.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("(no output)").strip();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static void delete(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // a temp file left behind
    }
  }
}
