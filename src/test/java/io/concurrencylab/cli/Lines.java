package io.concurrencylab.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The lines of a child process's stream, read on a daemon thread as they come (so the child never blocks on a full
 * pipe), and waited for with a time limit: tests wait for what a process prints instead of sleeping.
 */
final class Lines {
  private static final String END = new String("end of stream"); // identity-compared marker
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  Lines(InputStream stream, String name) {
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          queue.add(line);
        }
      } catch (java.io.IOException e) {
        // the process went away; what it printed is already queued
      } finally {
        queue.add(END);
      }
    }, name);
    reader.setDaemon(true);
    reader.start();
  }

  /** The first line from now on that matches, within {@code limit}; fails with everything seen otherwise. */
  String await(Predicate<String> match, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      String line = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null || line == END) {
        queue.add(END);
        throw new AssertionError((line == null ? "no matching line within " + limit : "the stream ended")
            + "; lines so far: " + seen);
      }
      seen.add(line);
      if (match.test(line)) {
        return line;
      }
    }
  }

  /** Every line until the stream ends (the process exited), within {@code limit}. */
  List<String> rest(Duration limit) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      String line = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("the stream is still open after " + limit + "; lines so far: " + lines);
      }
      if (line == END) {
        queue.add(END);
        return lines;
      }
      seen.add(line);
      lines.add(line);
    }
  }
}
