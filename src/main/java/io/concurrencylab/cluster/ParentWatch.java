package io.concurrencylab.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a sweep node when the process that launched it (its coordinator) is gone, so even a {@code kill -9} of the
 * coordinator leaves no orphan node. Two ways to notice, whichever comes first:
 * <ul>
 *   <li>the end of a pipe: {@link NodeProcesses} gives a node started with {@link #PIPE_OPTION} a pipe on stdin and
 *       never writes to it. However the launcher dies, the kernel closes its end at that instant, and the node's
 *       read returns end-of-file;
 *   <li>the PID, polled every {@link #INTERVAL_MS} ms (a cheap /proc look-up): the fallback, e.g. for a node started
 *       without the pipe. Not {@code ProcessHandle.onExit()}: for a process that is not our child, the JDK notices
 *       an exit by sleeping 300 ms and more between looks.
 * </ul>
 * Plain daemon threads started before anything else, not verticles: a node whose parent dies while it is still
 * starting or joining must go too.
 */
public final class ParentWatch {
  /** The node option saying that stdin is such a pipe: whoever passes it must provide one. */
  public static final String PIPE_OPTION = "--parent-pipe";
  static final long INTERVAL_MS = 250;
  private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);

  private static volatile boolean halting;

  private ParentWatch() {}

  /**
   * Whether this node is ending because its parent is gone: it sends nothing more (a message to a member whose
   * connection is closing under it made Vert.x log an internal "Promise already completed" stack).
   */
  public static boolean halting() {
    return halting;
  }

  /**
   * Watches {@code parentPid} (and {@code pipe}, when not null) and calls {@code onGone} once, on a watch thread,
   * with how the parent was found gone; at once if it is not running now.
   */
  public static void start(long parentPid, InputStream pipe, Consumer<String> onGone) {
    AtomicBoolean told = new AtomicBoolean();
    Consumer<String> once = how -> {
      if (!told.getAndSet(true)) {
        onGone.accept(how);
      }
    };
    boolean aliveAtStart = alive(parentPid); // here, not on the thread: "at start" is now
    daemon("lab-parent-pid", () -> {
      try {
        if (!aliveAtStart) {
          once.accept("not running when this node started");
          return;
        }
        while (alive(parentPid)) {
          Thread.sleep(INTERVAL_MS);
        }
        once.accept("its PID is no longer running");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    if (pipe != null) {
      daemon("lab-parent-pipe", () -> {
        byte[] ignored = new byte[64];
        try {
          while (pipe.read(ignored) >= 0) {
            // nothing is ever written: only the end matters
          }
          once.accept("the pipe from it was closed");
        } catch (IOException e) {
          log.debug("cannot read the pipe from the parent ({}); watching its PID only", e.toString());
        }
      });
    }
  }

  /**
   * What a sweep node does once its parent is gone: says so and ends at once, with no attempt to leave the cluster.
   * That cluster was the coordinator's own (for lite nodes, its only data member: leaving then hangs or fails with
   * {@code NoDataMemberInClusterException}), its other members are going the same way, and a node keeps nothing
   * that needs closing.
   */
  public static void haltNow(long parentPid, String how) {
    halting = true;
    // straight to file descriptor 2, the node's log: while Vert.x starts its logging it swaps System.err for a
    // throwaway buffer, and a node whose parent died in that moment ended with an empty log (seen once in CI)
    String line = NodeLogging.line("WARN", ParentWatch.class, "parent process " + parentPid + " is gone (" + how
        + "): stopping this node now (its cluster went with it: nothing to leave)") + System.lineSeparator();
    try {
      new java.io.FileOutputStream(java.io.FileDescriptor.err).write(line.getBytes(
          java.nio.charset.StandardCharsets.UTF_8)); // not closed: that would close fd 2; the process ends now
    } catch (IOException e) {
      log.warn(line.strip());
    }
    killSelf();
  }

  /**
   * Ends this process at once. Not {@code Runtime.halt} alone: at its last safepoint the JVM waits ~0.3 s for threads
   * blocked in native calls (netty's epoll, Hazelcast's sockets, the pipe read) before it exits. A SIGKILL ends it
   * without that wait; Java cannot raise SIGKILL in its own process, so {@code kill} does (a few ms). Halt if that
   * fails, with the same status, 137.
   */
  public static void killSelf() {
    try {
      new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).start()
          .waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException | RuntimeException e) {
      log.debug("could not run kill ({}); halting", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(128 + 9); // the status of the SIGKILL it stands in for, as README documents
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
