package io.concurrencylab.squares;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The memory of a process, from /proc (Linux); -1 where that is not available. */
public final class Rss {
  private Rss() {}

  /** Resident now (VmRSS), in MB. */
  public static double megabytes(long pid) {
    return status(pid, "VmRSS:");
  }

  /** Resident at its peak so far (VmHWM, the high-water mark), in MB: what the process needed at its busiest. */
  public static double peakMegabytes(long pid) {
    return status(pid, "VmHWM:");
  }

  /**
   * The proportional set size: shared pages (the JVM, the jar, the class-data archive) divided among the processes
   * sharing them; what N nodes really cost is N times this, not N times the RSS.
   */
  public static double pssMegabytes(long pid) {
    return field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
  }

  private static double status(long pid, String key) {
    return field(Path.of("/proc", Long.toString(pid), "status"), key);
  }

  private static double field(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }
}
