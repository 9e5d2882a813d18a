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

  /** SIGTERM, then SIGKILL after 10 s, to whatever is still alive; waits for them. */
  public static void stopAll(List<ProcessHandle> processes) {
    processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    if (!awaitGone(processes, 10_000)) {
      processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      awaitGone(processes, 10_000);
    }
  }
}
