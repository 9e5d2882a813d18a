package io.concurrencylab.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends this process when the process that launched it is gone, so even a {@code kill -9} of a coordinator leaves no
 * orphan node. A plain daemon thread started before anything else, not a verticle: a node whose parent dies while
 * it is still joining the cluster must go too. It asks for a clean stop first, and halts if that takes too long.
 * Polls (a cheap /proc look-up) because {@code ProcessHandle.onExit()} of a process that is not our child may be
 * slow to notice.
 */
public final class ParentWatch {
  static final long INTERVAL_MS = 250;
  static final long HALT_AFTER_MS = 3_000;
  private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);

  private ParentWatch() {}

  /**
   * @param stop asks the process to stop cleanly (leave the cluster); if it is still alive {@link #HALT_AFTER_MS}
   *     later, it is halted
   * @throws IllegalArgumentException if the parent is not running now
   */
  public static void start(long parentPid, Runnable stop) {
    if (!alive(parentPid)) {
      throw new IllegalArgumentException("parent process " + parentPid + " is not running");
    }
    Thread watch = new Thread(() -> {
      try {
        while (alive(parentPid)) {
          Thread.sleep(INTERVAL_MS);
        }
        log.warn("parent process {} is gone: stopping this node", parentPid);
        stop.run();
        Thread.sleep(HALT_AFTER_MS);
        log.warn("still running {} ms after the parent died: halting", HALT_AFTER_MS);
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "lab-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
