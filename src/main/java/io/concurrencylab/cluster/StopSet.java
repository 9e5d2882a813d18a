package io.concurrencylab.cluster;

import io.concurrencylab.bus.ClusterMessages.Member;
import io.concurrencylab.config.TextFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 *       took 0.4-5 s to stop, one 0.15 s). Nobody keeps the data, so the node ends at once, without a leave, as a
 *       sweep's node does when its cluster is thrown away;
 *   <li>anyone else is there (a serve, a node of another host or run folder, the nodes a {@code --node} stop leaves
 *       running): the node signs out, then ends at once when that loses nothing
 *       ({@link ClusterSettings.Clustered#whyItMustLeave}): it holds no partitions (a lite member, under
 *       {@code cluster.dataMembers}), or every partition it owns has an up-to-date backup on a data member that stays,
 *       no other data member leaves with it or ends at once elsewhere, and no member that stays is to hold data
 *       first. Otherwise it leaves gracefully, handing its partitions to those who stay, once the lite members of the
 *       set have gone, since each change of the member list makes Hazelcast plan a hand-over again.
 * </ul>
 * A set is trusted only while the very stop that wrote it runs (its pid and start time, not a zombie), so a file left
 * by a stop killed midway never decides a later, unrelated SIGTERM.
 */
public record StopSet(long stopper, long stopperStart, Set<Long> pids) {
  /** A set is a few pids; anything larger is not one of ours. */
  static final int MAX_BYTES = 64 * 1024;

  /** Writes the set of this process's stop: a fresh file renamed over the old one (a link there is replaced). */
  public static void write(Path file, Collection<Long> pids) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, new JsonObject().put("stopper", self.pid()).put("stopperStart", started(self))
          .put("pids", new JsonArray(List.copyOf(pids))).encode() + "\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The set in {@code file}; empty when there is none, or it is damaged or not a set. */
  public static Optional<StopSet> read(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      JsonObject json = new JsonObject(TextFiles.read(file, MAX_BYTES));
      Set<Long> pids = json.getJsonArray("pids").stream().map(p -> ((Number) p).longValue())
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
      return Optional.of(new StopSet(json.getLong("stopper"), json.getLong("stopperStart"), pids));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the stop that wrote this set is still running: the same process (pid and start time: pids get reused),
   * alive and not a zombie.
   */
  public boolean stopperRunning() {
    return ProcessHandle.of(stopper).filter(NodeProcesses::running)
        .map(p -> stopperStart >= 0 && started(p) == stopperStart).orElse(false);
  }

  /**
   * When {@code process} started, as the system counts it, or -1 where it does not say. On Linux the start time in
   * /proc/PID/stat (clock ticks since boot): one read, where {@code ProcessHandle.info()} reads several files and
   * looks the user up, 10-15 ms in a JVM that has not done it yet, in each node a stop signals at once. Elsewhere,
   * ms since the epoch.
   */
  static long started(ProcessHandle process) {
    try { // "pid (comm) S ...": the fields follow the last ')', as comm may hold anything; starttime is the 22nd
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    } catch (IOException | RuntimeException notLinux) {
      return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
    }
  }

  /**
   * Whether the member {@code selfPid} at {@code selfAddress} ("host:port", as {@link Member#host()} has it) leaves
   * with every member of its cluster: each is on its host (pids are per host) and in this set.
   */
  public boolean endsCluster(long selfPid, String selfAddress, List<Member> members) {
    String host = host(selfAddress);
    return pids.contains(selfPid) && !members.isEmpty()
        && members.stream().allMatch(m -> pids.contains(m.pid()) && host(m.host()).equals(host));
  }

  /** Whether {@code member} is stopped with {@code selfAddress}'s member: on its host, and in this set. */
  public boolean stopsToo(String selfAddress, Member member) {
    return pids.contains(member.pid()) && host(member.host()).equals(host(selfAddress));
  }

  private static String host(String address) {
    int colon = address.lastIndexOf(':');
    return colon < 0 ? address : address.substring(0, colon);
  }
}
