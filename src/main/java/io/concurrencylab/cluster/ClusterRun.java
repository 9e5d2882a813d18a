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

    /** Its PID is a process that is no lab node: the node is gone and the PID reused (never signalled). */
    public boolean reused() {
      return ProcessHandle.of(pid).map(p -> p.isAlive() && !isLabNode(p)).orElse(false);
    }

    /** Why it is not {@link #alive}: "was not running", or that its PID is another process now. */
    public String notRunning() {
      return reused() ? "was not running (pid " + pid + " is another process now, not signalled)" : "was not running";
    }
  }

  public ClusterRun(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The next index after every recorded one, a damaged PID file's too (its log is not overwritten). */
  public int nextIndex() throws IOException {
    Contents contents = contents();
    return Stream.concat(contents.nodes().stream().map(Recorded::index), contents.damaged().stream().map(Damaged::index))
        .mapToInt(Integer::intValue).max().orElse(0) + 1;
  }

  /**
   * Removes the logs of nodes numbered {@code first} or more that no PID file records any more: those of an earlier,
   * larger start, which its next start does not overwrite and whose names a reader would take for this one's. Logs of
   * recorded nodes, and of anything else in the folder, stay. Best effort: a log it cannot remove is left.
   */
  public void removeOldLogs(int first) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        var log = LOG_FILE.matcher(file.getFileName().toString());
        int index = log.matches() ? Integer.parseInt(log.group(1)) : -1;
        if (index >= first && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) // (not a folder)
            && !Files.exists(pidFile(index), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          try {
            Files.deleteIfExists(file);
          } catch (IOException leftAsItIs) {
            // best effort
          }
        }
      }
    }
  }

  private static final Pattern LOG_FILE = Pattern.compile("node-(\\d{1,9})\\.log");

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

  /** The recorded nodes, leaving out PID files that cannot be read ({@link #contents} has those too). */
  public List<Recorded> recorded() throws IOException {
    return contents().nodes();
  }

  /** A PID file that does not hold a PID (cut short, edited, not ours): no process can be told from it. */
  public record Damaged(int index, Path pidFile, String reason) { }

  /** What the folder holds: the nodes recorded (by index), and the PID files that could not be read. */
  public record Contents(List<Recorded> nodes, List<Damaged> damaged) { }

  public Contents contents() throws IOException {
    List<Recorded> nodes = new ArrayList<>();
    List<Damaged> damaged = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return new Contents(nodes, damaged);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> PID_FILE.matcher(p.getFileName().toString()).matches()).toList()) {
        String name = f.getFileName().toString();
        int index = Integer.parseInt(name.substring("node-".length(), name.length() - ".pid".length())); // 9 digits
        long pid;
        try {
          pid = readPid(f);
        } catch (IOException | NumberFormatException e) {
          damaged.add(new Damaged(index, f, e.getMessage()));
          continue;
        }
        Optional<String> nodeId;
        try {
          nodeId = readyNodeId(index);
        } catch (IOException e) { // an unreadable log hides the node id, not the node
          nodeId = Optional.empty();
        }
        nodes.add(new Recorded(index, pid, nodeId, f, log(index)));
      }
    }
    nodes.sort(java.util.Comparator.comparingInt(Recorded::index)); // node-10 after node-9
    damaged.sort(java.util.Comparator.comparingInt(Damaged::index));
    return new Contents(nodes, damaged);
  }

  private static final Pattern PID_FILE = Pattern.compile("node-\\d{1,9}\\.pid");
  /** A PID and a newline; anything longer was not written by {@link #record}. */
  private static final int MAX_PID_FILE_BYTES = 32;

  private static long readPid(Path f) throws IOException {
    if (!Files.isRegularFile(f)) {
      throw new IOException("not a regular file");
    }
    byte[] bytes;
    try (var in = Files.newInputStream(f)) {
      bytes = in.readNBytes(MAX_PID_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_PID_FILE_BYTES) {
      throw new IOException("longer than a PID file (" + MAX_PID_FILE_BYTES + " bytes)");
    }
    String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).trim();
    if (!text.matches("[1-9]\\d{0,17}")) {
      throw new NumberFormatException(text.isEmpty() ? "empty" : "not a PID: \"" + text.replaceAll("[^ -~]", "?")
          + "\"");
    }
    return Long.parseLong(text);
  }

  /**
   * The "node ready" line comes after the node's start logging, within this much of its log: a node that has run
   * for days has a long log, read only this far.
   */
  static final int READY_WITHIN_BYTES = 1 << 20;

  /** The node id from the "node ready" line of its log, if it got that far. */
  public Optional<String> readyNodeId(int index) throws IOException {
    Path log = log(index);
    if (!Files.isRegularFile(log)) {
      return Optional.empty();
    }
    byte[] head;
    try (var in = Files.newInputStream(log)) {
      head = in.readNBytes(READY_WITHIN_BYTES);
    }
    Matcher m = READY.matcher(new String(head, java.nio.charset.StandardCharsets.UTF_8));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  static boolean isLabNode(ProcessHandle p) {
    return p.info().commandLine().map(c -> c.contains(".jar node") || c.contains("Main node")).orElse(true);
  }
}
