package io.concurrencylab.cluster;

import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log what Hazelcast does to a member of the app's cluster after a split (conf/logback.xml keeps
 * Hazelcast's own lines at ERROR): one side (the smaller) merging into the other once they see each other again,
 * whether that worked, and a member Hazelcast shut down itself (a merge whose rejoin failed ends so: "Could not join
 * cluster. Shutting down now!"). Such a serve or node is no member any more, though its process and its HTTP port
 * live on: {@code lost} stops it, so a user (or a supervisor) sees it gone and starts it again, rather than a
 * process that answers for a cluster it is not in.
 */
public final class SplitWatch {
  private static final Logger log = LoggerFactory.getLogger(SplitWatch.class);
  /** The thread of Hazelcast's JVM shutdown hook (Node.NodeShutdownHookThread). */
  private static final String SHUTDOWN_HOOK = "hz.ShutdownThread";

  private SplitWatch() {}

  /**
   * Watches {@code manager}'s member from now on.
   *
   * @param lost run once (on a Hazelcast thread) when Hazelcast shuts the member down while Vert.x still uses it
   */
  public static void start(HazelcastClusterManager manager, Runnable lost) {
    var hazelcast = manager.getHazelcastInstance();
    java.util.concurrent.atomic.AtomicBoolean said = new java.util.concurrent.atomic.AtomicBoolean();
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      // not on Hazelcast's JVM shutdown hook either (a SIGHUP, an exit elsewhere): the process is ending anyway
      // nor once this member is stopping (ClusterSettings.Clustered#leave shuts Hazelcast down itself)
      String line = line(event.getState(), manager.isActive()
          && !(manager instanceof JoiningManager joining && joining.isStopping())
          && !SHUTDOWN_HOOK.equals(Thread.currentThread().getName()));
      if (line == null) {
        return;
      }
      switch (event.getState()) {
        case MERGED -> log.info("{} ({} members)", line, hazelcast.getCluster().getMembers().size());
        case MERGING -> log.info(line);
        case MERGE_FAILED -> log.warn(line);
        default -> { // a shutdown nobody here asked for
          if (said.compareAndSet(false, true)) {
            log.error(line);
            lost.run();
          }
        }
      }
    });
  }

  /**
   * What to log for {@code state}, or null for nothing.
   *
   * @param inUse whether Vert.x still uses the member: a shutdown then is Hazelcast's own, not the app's stop
   */
  static String line(LifecycleState state, boolean inUse) {
    return switch (state) {
      // the smaller side merges (with equal sides, the one Hazelcast picks)
      case MERGING -> "the cluster had split, and this member's side is merging into the other side now that they "
          + "reach each other again (it rejoins as a new Hazelcast member; its Vert.x node id stays)";
      case MERGED -> "merged back into the cluster after the split";
      // Node.join shuts a member down whenever its rejoin did not succeed: the shutdown line follows
      case MERGE_FAILED -> "merging back into the cluster after the split failed";
      case SHUTTING_DOWN -> inUse ? "Hazelcast is shutting this member down on its own (after a split, a rejoin "
          + "that failed ends so): it is no member of the cluster any more; stopping this process, start it again "
          + "(with --join) to rejoin" : null;
      default -> null;
    };
  }
}
