package io.concurrencylab.testing;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Process checks for tests: what a lab run left behind, and stopping it. */
public final class Processes {
  private Processes() {}

  /** Lab node processes whose command line contains {@code marker} (e.g. a cluster name). */
  public static List<ProcessHandle> labNodes(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(" node ") && c.contains(marker)).orElse(false))
        .collect(Collectors.toList());
  }

  /** Waits (bounded) for each to exit by itself; true if all did. */
  public static boolean awaitGone(List<ProcessHandle> processes, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Polls the process table (every 5 ms) until none of them runs: how many ms that took, or -1 after
   * {@code timeoutMs}. For timing processes that are not our children, whose {@code onExit()} the JDK notices only
   * by sleeping 300 ms and more between looks. A zombie has exited: it only waits for its parent to collect its
   * exit status, which for an orphan is PID 1's job, done at once by an ordinary init but only every second or two
   * by some containers' (and {@code ProcessHandle.isAlive()} counts a zombie as alive). Linux: reads /proc.
   */
  public static long msUntilExited(List<ProcessHandle> processes, long timeoutMs) {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (processes.stream().anyMatch(Processes::running)) {
      if (System.nanoTime() > deadline) {
        return -1;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try { // "pid (comm) S ...": the state follows the last ')', as comm may hold anything
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException | RuntimeException gone) {
      return false;
    }
  }

  /** SIGTERM, then SIGKILL after 10 s, to whatever is still alive; waits for them. */
  public static void stopAll(List<ProcessHandle> processes) {
    processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    if (!awaitGone(processes, 10_000)) {
      processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      awaitGone(processes, 10_000);
    }
  }
}
