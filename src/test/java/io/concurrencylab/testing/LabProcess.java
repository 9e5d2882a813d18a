package io.concurrencylab.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lab} as a real process, the way a user runs it: the shaded jar built by {@code mvn package}, its output
 * read line by line as it comes. {@link #close()} stops it (SIGTERM, then SIGKILL) and waits for it to be gone,
 * along with any child it launched, so a failing test leaves nothing behind either.
 */
public final class LabProcess implements AutoCloseable {
  private final Process process;
  private final Stream out;
  private final Stream err;

  /** One output stream: every line kept, and a queue of the lines not yet awaited. */
  private static final class Stream {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    final LinkedBlockingQueue<String> pending = new LinkedBlockingQueue<>();
    final Thread pump;

    Stream(InputStream in) {
      pump = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            seen.add(line);
            pending.add(line);
          }
        } catch (IOException ignored) {
          // the process went away
        }
      });
      pump.setDaemon(true);
      pump.start();
    }
  }

  private LabProcess(Process process) {
    this.process = process;
    this.out = new Stream(process.getInputStream());
    this.err = new Stream(process.getErrorStream());
  }

  public static LabProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Dlab.home=" + home(), "-jar", jar()));
    command.addAll(List.of(args));
    return new LabProcess(new ProcessBuilder(command).start());
  }

  /**
   * {@code lab} run through {@code wrapper} (e.g. {@code launcher/hosts run 2}: in another network namespace), with
   * {@code env} added to its environment. The wrapper must exec the command, so the process is the JVM itself.
   */
  public static LabProcess startWith(List<String> wrapper, java.util.Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(List.of(javaBin(), "-Dlab.home=" + home(), "-jar", jar()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return new LabProcess(builder.start());
  }

  public static String jar() {
    String jar = System.getProperty("lab.jar");
    if (jar == null) {
      throw new IllegalStateException("system property lab.jar is not set: run integration tests with mvn verify");
    }
    return jar;
  }

  public static String home() {
    return System.getProperty("lab.home", ".");
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits for the next stdout line matching {@code pattern} (skipping others), or fails after {@code timeout}. */
  public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    return await(out, "stdout", pattern, timeout);
  }

  /** The same on stderr (where progress goes). */
  public Matcher awaitErrLine(Pattern pattern, Duration timeout) throws InterruptedException {
    return await(err, "stderr", pattern, timeout);
  }

  private Matcher await(Stream stream, String name, Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? stream.pending.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no " + name + " line matching " + pattern + " within " + timeout + "; stdout: "
            + out.seen + "; stderr: " + err.seen + (process.isAlive() ? "" : "; exited " + process.exitValue()));
      }
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
  }

  /** Waits for the process to exit by itself and returns its exit code, once all its output has been read. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "; stdout: " + out.seen + "; stderr: " + err.seen);
    }
    out.pump.join(5_000); // the last lines may still be in the pipe when the process exits
    err.pump.join(5_000);
    return process.exitValue();
  }

  /** SIGTERM, as Ctrl-C or a service manager would. Through the handle: Process.destroy() closes our pipes. */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL: no shutdown hook, no clean-up; what a crash or {@code kill -9} does. */
  public void kill() {
    process.toHandle().destroyForcibly();
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  public List<String> stdoutLines() {
    return List.copyOf(out.seen);
  }

  public String stderr() {
    return String.join("\n", List.copyOf(err.seen));
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
    if (process.isAlive()) {
      terminate();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        kill();
        process.waitFor(15, TimeUnit.SECONDS);
      }
    }
    Processes.stopAll(family);
  }
}
