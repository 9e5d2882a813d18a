package io.concurrencylab.cluster;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sweep's Vert.x (its coordinator's, and each node's) does with an exception no handler caught: what Vert.x
 * itself does (log it, with its stack trace), except for one known to be noise.
 *
 * <p>That one: in Vert.x 5.0.7, a message sent to a member that has just died (its connection is still open, the
 * write fails) ends in {@code IllegalStateException: Promise already completed}, thrown by {@code
 * OutboundConnection.writeMessage}: it completes the send through {@code Promise.fail}, which throws because the
 * send's delivery context answers {@code false} to every {@code tryFail}. By then the failure has been delivered. In
 * the coordinator, a chunk sent to a node that died: the scheduler drops the node when it leaves the cluster (or its
 * chunk times out) and re-queues its chunks. In a node, an answer to a coordinator killed a moment before: the node
 * leaves on its own (it watches its parent). What is left is a stack trace with nothing to act on, which a user
 * would otherwise see in a log (a node's, seen in a CI run of mine).
 */
public final class UnhandledExceptions {
  private static final Logger log = LoggerFactory.getLogger(UnhandledExceptions.class);

  private UnhandledExceptions() {}

  public static void handle(Throwable t) {
    if (isFailedWriteToALostNode(t)) {
      log.debug("a write to a member that is gone failed (Vert.x reports it twice): {}", t.toString());
    } else {
      log.error("Unhandled exception", t);
    }
  }

  static boolean isFailedWriteToALostNode(Throwable t) {
    return t instanceof IllegalStateException && "Promise already completed".equals(t.getMessage())
        && Arrays.stream(t.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("writeMessage")
            && frame.getClassName().equals("io.vertx.core.eventbus.impl.clustered.OutboundConnection"));
  }
}
