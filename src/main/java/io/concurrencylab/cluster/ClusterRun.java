package io.concurrencylab.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The run folder of {@code lab cluster}: one {@code node-<i>.pid} and {@code node-<i>.log} per background node. The
 * PID files are what {@code stop} stops, and a PID is only signalled while it is still a lab node (PIDs get reused).
 */
public final class ClusterRun {
  private static final Pattern READY = Pattern.compile("node ready: nodeId=(\\S+) pid=(\\d+)");
  private final Path dir;

  /** A recorded node: its index, PID, and its Vert.x node id once it logged that it is ready. */
  public record Recorded(int index, long pid, Optional<String> nodeId, Path pidFile, Path log) {
    public boolean alive() {
      return ProcessHandle.of(pid).map(p -> p.isAlive() && isLabNode(p)).orElse(false);
    }
  }

  public ClusterRun(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public int nextIndex() throws IOException {
    return recorded().stream().mapToInt(Recorded::index).max().orElse(0) + 1;
  }

  public void record(int index, long pid) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("node-" + index + ".pid.tmp");
    Files.writeString(tmp, pid + "\n");
    Files.move(tmp, pidFile(index), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public Path pidFile(int index) {
    return dir.resolve("node-" + index + ".pid");
  }

  /** Where {@code stop} lists the nodes it stops together, while it stops them ({@link StopSet}). */
  public Path stopSet() {
    return dir.resolve("stopping.json");
  }

  public Path log(int index) {
    return dir.resolve("node-" + index + ".log");
  }

  public List<Recorded> recorded() throws IOException {
    List<Recorded> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches("node-\\d+\\.pid")).sorted().toList()) {
        int index = Integer.parseInt(f.getFileName().toString().replaceAll("\\D", ""));
        long pid = Long.parseLong(Files.readString(f).trim());
        all.add(new Recorded(index, pid, readyNodeId(index), f, log(index)));
      }
    }
    return all;
  }

  /** The node id from the "node ready" line of its log, if it got that far. */
  public Optional<String> readyNodeId(int index) throws IOException {
    Path log = log(index);
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    Matcher m = READY.matcher(Files.readString(log));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  static boolean isLabNode(ProcessHandle p) {
    return p.info().commandLine().map(c -> c.contains(".jar node") || c.contains("Main node")).orElse(true);
  }
}
