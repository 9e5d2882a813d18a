package io.concurrencylab.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lab} as a real process, the way a user runs it: the shaded jar built by {@code mvn package}, its stdout
 * read line by line as it comes. {@link #close()} stops it (SIGTERM, then SIGKILL) and waits for it to be gone.
 */
final class LabProcess implements AutoCloseable {
  private final Process process;
  private final LinkedBlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
  private final StringBuffer stderr = new StringBuffer();
  private final List<Thread> pumps = new ArrayList<>();

  private LabProcess(Process process) {
    this.process = process;
    pumps.add(pump(process.getInputStream(), line -> {
      seen.add(line);
      stdout.add(line);
    }));
    pumps.add(pump(process.getErrorStream(), line -> stderr.append(line).append('\n')));
  }

  static LabProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Dlab.home=" + home(), "-jar", jar()));
    command.addAll(List.of(args));
    return new LabProcess(new ProcessBuilder(command).start());
  }

  static String jar() {
    String jar = System.getProperty("lab.jar");
    if (jar == null) {
      throw new IllegalStateException("system property lab.jar is not set: run integration tests with mvn verify");
    }
    return jar;
  }

  static String home() {
    return System.getProperty("lab.home", ".");
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Thread pump(java.io.InputStream in, java.util.function.Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // the process went away
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits for the next stdout line matching {@code pattern} (skipping others), or fails after {@code timeout}. */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? stdout.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no line matching " + pattern + " within " + timeout + "; stdout so far: " + seen
            + "; stderr: " + stderr + (process.isAlive() ? "" : "; exited " + process.exitValue()));
      }
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
  }

  /** Waits for the process to exit by itself and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "; stdout: " + seen + "; stderr: " + stderr);
    }
    for (Thread pump : pumps) {
      pump.join(5_000); // the last lines may still be in the pipe when the process exits
    }
    return process.exitValue();
  }

  /** SIGTERM, like Ctrl-C or a service manager would. */
  void terminate() {
    // Through the handle: Process.destroy() would also close our end of its stdout, losing its last lines.
    process.toHandle().destroy();
  }

  List<String> stdoutLines() {
    return List.copyOf(seen);
  }

  String stderr() {
    return stderr.toString();
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
      }
    }
  }
}
