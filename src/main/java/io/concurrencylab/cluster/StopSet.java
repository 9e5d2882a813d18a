package io.concurrencylab.cluster;

import io.concurrencylab.bus.ClusterMessages.Member;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The nodes one {@code lab cluster stop} stops together, written to the run folder ({@link ClusterRun#stopSet})
 * before it signals them and removed once they have exited. A node that gets SIGTERM reads it to decide how to go:
 * <ul>
 *   <li>every member of its cluster is in the set: the cluster ends with them. A graceful leave would hand the
 *       partitions to members that are leaving too, and Hazelcast pauses 3 s whenever such a migration fails (4 nodes
 *       took 0.4-5 s to stop, one 0.15 s). Nobody keeps the data, so the node ends at once, as a sweep's node does;
 *   <li>anyone else is there (a serve, a node of another host or run folder, nodes left by {@code --node}): the node
 *       leaves gracefully, handing its partitions to those who stay.
 * </ul>
 * A set is trusted only while the stop that wrote it is still running, so a file left by a stop killed midway never
 * decides a later, unrelated SIGTERM.
 */
public record StopSet(long stopper, Set<Long> pids) {
  /** A set is a few pids; anything larger is not one of ours. */
  static final long MAX_BYTES = 64 * 1024;

  public static void write(Path file, long stopper, Collection<Long> pids) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, new JsonObject().put("stopper", stopper).put("pids", new JsonArray(List.copyOf(pids)))
        .encode() + "\n");
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The set in {@code file}; empty when there is none, or it is damaged or not a set. */
  public static Optional<StopSet> read(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
        return Optional.empty();
      }
      JsonObject json = new JsonObject(Files.readString(file));
      Set<Long> pids = json.getJsonArray("pids").stream().map(p -> ((Number) p).longValue())
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
      return Optional.of(new StopSet(json.getLong("stopper"), pids));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the stop that wrote this set is still running (pids get reused, but not within a stop's seconds). */
  public boolean current() {
    return ProcessHandle.of(stopper).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Whether the member {@code self} (pid, address "host:port") leaves with every member of its cluster: each is on
   * its host (pids are per host) and in this set.
   */
  public boolean endsCluster(long selfPid, String selfAddress, List<Member> members) {
    String host = host(selfAddress);
    return pids.contains(selfPid) && !members.isEmpty()
        && members.stream().allMatch(m -> pids.contains(m.pid()) && host(m.host()).equals(host));
  }

  private static String host(String address) {
    int colon = address.lastIndexOf(':');
    return colon < 0 ? address : address.substring(0, colon);
  }
}
