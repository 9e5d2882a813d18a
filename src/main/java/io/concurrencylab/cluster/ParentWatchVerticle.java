package io.concurrencylab.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends this process when the process that launched it is gone, so even a {@code kill -9} of a coordinator leaves no
 * orphan node behind. Polls (a cheap /proc check) rather than {@code ProcessHandle.onExit()}, whose wait on a
 * process that is not our child may be slow to notice.
 */
public final class ParentWatchVerticle extends VerticleBase {
  static final long INTERVAL_MS = 250;
  private static final Logger log = LoggerFactory.getLogger(ParentWatchVerticle.class);
  private final long parentPid;
  private final Runnable onParentGone;

  public ParentWatchVerticle(long parentPid, Runnable onParentGone) {
    this.parentPid = parentPid;
    this.onParentGone = onParentGone;
  }

  @Override
  public Future<?> start() {
    if (!alive()) {
      return Future.failedFuture("parent process " + parentPid + " is not running");
    }
    vertx.setPeriodic(INTERVAL_MS, id -> {
      if (!alive()) {
        vertx.cancelTimer(id);
        log.warn("parent process {} is gone: stopping this node", parentPid);
        onParentGone.run();
      }
    });
    return Future.succeededFuture();
  }

  private boolean alive() {
    return ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
  }
}
