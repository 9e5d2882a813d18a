package io.concurrencylab.squares;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident set size of a process, from /proc (Linux); -1 where that is not available. */
public final class Rss {
  private Rss() {}

  static double megabytes() {
    return megabytes(ProcessHandle.current().pid());
  }

  /**
   * The proportional set size: shared pages (the JVM, the jar, the class-data archive) divided among the processes
   * sharing them; what N nodes really cost is N times this, not N times the RSS.
   */
  public static double pssMegabytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  static double megabytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }
}
