package io.concurrencylab.compare;

import io.concurrencylab.bus.Bodies;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lesson's side: the scripts in {@code launcher/lesson/} run with {@code compare.python} (python3). Each run is
 * bounded by {@code compare.pythonTimeoutMs}: its output goes to files, not pipes, so nothing can block before the
 * wait that applies the limit; at the limit (or a cancel) the script and every process it started are killed. A
 * script that fails is an error naming why (its last line on stderr), never an empty result.
 */
final class PythonSide {
  private final String python;
  private final Path lessonDir;
  private final long timeoutMs;
  private volatile Process current;
  private volatile boolean cancelled;
  /** Open once a cancel's kill has ended. */
  private final java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
  /** How long a kill waits for each process it killed. */
  private static final long KILL_WAIT_S = 10;
  /** setsid(1), to run each script in a process group of its own (see kill); null if this machine has none. */
  private static final String SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
      .filter(f -> Files.isExecutable(Path.of(f))).findFirst().orElse(null);

  /** What a script gave: its JSON, or why there is none. */
  record Outcome(JsonObject json, String error) {
    static Outcome failed(String error) {
      return new Outcome(null, error);
    }
  }

  PythonSide(String python, Path lessonDir, long timeoutMs) {
    this.python = python;
    this.lessonDir = lessonDir.toAbsolutePath().normalize();
    this.timeoutMs = timeoutMs;
  }

  /** The lesson's scripts of a checkout: {@code <lab.home>/launcher/lesson}, else {@code ./launcher/lesson}. */
  static Path lessonDir() {
    String home = System.getProperty("lab.home");
    return Path.of(home == null ? "." : home, "launcher", "lesson");
  }

  /** Why the Python rows are skipped ("skipped: ..."), or null when {@code python} runs and the scripts are there. */
  String unavailable() {
    if (!Files.isRegularFile(lessonDir.resolve("compare_ways.py"))) {
      return "skipped: the lesson's scripts are not in " + lessonDir + " (run from a checkout, through launcher/lab)";
    }
    try {
      Process p = new ProcessBuilder(python, "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "skipped: " + python + " --version did not answer within 10 s";
      }
      return p.exitValue() == 0 ? null : "skipped: " + python + " --version exited with " + p.exitValue();
    } catch (IOException e) {
      return "skipped: no " + python + " on this machine (compare.python)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "skipped: interrupted";
    }
  }

  /** Runs {@code script args...}; its last line on stdout is the JSON result. */
  Outcome run(String script, List<String> args) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("lab-compare-", ".out");
      err = Files.createTempFile("lab-compare-", ".err");
      List<String> command = new ArrayList<>();
      if (SETSID != null) {
        command.add(SETSID);
      }
      command.addAll(List.of(python, lessonDir.resolve(script).toString()));
      command.addAll(args);
      Process p = new ProcessBuilder(command).directory(lessonDir.toFile()).redirectOutput(out.toFile())
          .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      current = p;
      if (cancelled) {
        kill(p);
      }
      boolean exited = p.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
      if (!exited) {
        kill(p);
        return Outcome.failed(cancelled ? "cancelled" : "failed: " + script + " timed out after " + timeoutMs
            + " ms (compare.pythonTimeoutMs); it and its processes were killed");
      }
      if (SETSID != null) {
        killAndWait(leftBehind(p)); // e.g. a Pool's workers, its script killed by a signal before the Pool's close
      }
      if (cancelled) {
        awaitKilled(); // the script is gone, its Pool's workers maybe not yet: "cancelled" means all of them
        return Outcome.failed("cancelled");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        return Outcome.failed("failed: " + script + " exited with " + p.exitValue() + ": "
            + Bodies.cut(lastLine(Files.readString(err, StandardCharsets.UTF_8)), 200));
      }
      String last = lastLine(stdout);
      try {
        return new Outcome(new JsonObject(last), null);
      } catch (DecodeException e) {
        return Outcome.failed("failed: " + script + " printed no JSON result: " + Bodies.cut(last, 80));
      }
    } catch (IOException e) {
      return Outcome.failed("failed: cannot run " + python + " " + script + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.failed("cancelled");
    } finally {
      current = null;
      delete(out);
      delete(err);
    }
  }

  /** Kills the script running (with the processes it started) and any later one. */
  void cancel() {
    cancelled = true;
    try {
      Process p = current;
      if (p != null) {
        kill(p);
      }
    } finally {
      killed.countDown();
    }
  }

  /** Until a cancel's kill has ended (it waits for every process it killed, bounded): the script ends before them. */
  private void awaitKilled() throws InterruptedException {
    killed.await(KILL_WAIT_S + 5, TimeUnit.SECONDS);
  }

  /**
   * SIGKILL to the script and everything it started (a Pool's workers must not outlive it); waits for each.
   *
   * <p>The script runs in a process group of its own ({@code setsid}, same pid): a Ctrl-C at the terminal, which
   * goes to the terminal's whole group, does not reach it (this JVM cancels and kills it instead, and knows when it
   * is all gone), and its workers are found by group even once the script has ended and they have a new parent.
   * The group is frozen first (SIGSTOP), so a Pool cannot replace a worker killed before it, then listed, killed and
   * waited for. Without setsid: the tree is frozen and listed again until no new process appears (a Pool replaced a
   * worker killed before it, and the new one, made after the list was taken, was left behind: seen in CI).
   */
  private static void kill(Process p) {
    java.util.Set<ProcessHandle> all = new java.util.LinkedHashSet<>();
    all.add(p.toHandle());
    if (SETSID != null && p.isAlive()) { // alive, its pid is still its group's id
      signal("-STOP", List.of("-" + p.pid()));
      all.addAll(group(p.pid()));
      signal("-KILL", List.of("-" + p.pid()));
    } else if (SETSID != null) {
      all.addAll(leftBehind(p)); // it ended meanwhile: what it left, stopped
    } else {
      List<ProcessHandle> more = List.of(p.toHandle());
      for (int round = 0; round < 20 && !more.isEmpty(); round++) {
        all.addAll(more);
        signal("-STOP", more.stream().map(h -> Long.toString(h.pid())).toList());
        more = p.descendants().filter(h -> !all.contains(h)).toList();
      }
    }
    killAndWait(all);
  }

  /** SIGKILL to each, then waits for each (bounded). */
  private static void killAndWait(java.util.Collection<ProcessHandle> processes) {
    processes.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : processes) {
      try {
        h.onExit().get(KILL_WAIT_S, TimeUnit.SECONDS);
      } catch (Exception e) {
        // still there after 10 s of SIGKILL: nothing more to do from here
      }
    }
  }

  /**
   * What an ended script left in its process group, stopped (SIGSTOP) so nothing more forks. Only processes that
   * started before now: once the script is gone, its pid (the group's id) may be another's, whose group is not ours.
   */
  private static List<ProcessHandle> leftBehind(Process p) {
    java.time.Instant now = java.time.Instant.now();
    List<ProcessHandle> left = group(p.pid()).stream()
        .filter(h -> h.info().startInstant().map(start -> !start.isAfter(now)).orElse(false)).toList();
    if (!left.isEmpty()) {
      signal("-STOP", left.stream().map(h -> Long.toString(h.pid())).toList());
    }
    return left;
  }

  /**
   * The processes of process group {@code pgid} in the session of the same id (fields 5 and 6 of /proc/PID/stat,
   * after the command's parentheses): what setsid made of a script, and what it started.
   */
  static List<ProcessHandle> group(long pgid) {
    List<ProcessHandle> members = new ArrayList<>();
    try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(d -> {
        try {
          String stat = Files.readString(d.resolve("stat"));
          String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(after[2]) == pgid && Long.parseLong(after[3]) == pgid) {
            ProcessHandle.of(Long.parseLong(d.getFileName().toString())).ifPresent(members::add);
          }
        } catch (IOException | RuntimeException gone) {
          // ended meanwhile
        }
      });
    } catch (IOException e) {
      // no /proc: the group's SIGKILL still goes out
    }
    return members;
  }

  /** {@code kill SIGNAL TARGETS} (no Java call sends SIGSTOP, nor a signal to a group). Best effort, bounded. */
  private static void signal(String signal, List<String> targets) {
    List<String> command = new ArrayList<>(List.of("kill", signal, "--"));
    command.addAll(targets);
    try {
      Process kill = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      // no kill(1): the SIGKILLs still go out, to the processes listed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String lastLine(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("(no output)");
  }

  private static void delete(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file left in /tmp
      }
    }
  }

  /** One way's figures as a script reports them: {"wall_ms": [...], "cpu_ms": [...], "results": [[...]]}. */
  static Ways.Measured measured(JsonObject figures) {
    List<Double> walls = new ArrayList<>();
    List<Double> cpus = new ArrayList<>();
    List<List<String>> results = new ArrayList<>();
    figures.getJsonArray("wall_ms").forEach(v -> walls.add(Stats.round(((Number) v).doubleValue())));
    figures.getJsonArray("cpu_ms").forEach(v -> cpus.add(v == null ? null : Stats.round(((Number) v).doubleValue())));
    for (Object run : figures.getJsonArray("results")) {
      List<String> values = new ArrayList<>();
      ((JsonArray) run).forEach(v -> values.add(String.valueOf(v)));
      results.add(values);
    }
    return new Ways.Measured(walls, cpus, results, null);
  }
}
