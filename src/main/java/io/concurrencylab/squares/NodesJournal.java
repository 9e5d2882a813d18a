package io.concurrencylab.squares;

import io.concurrencylab.bus.NodeMessages;
import io.concurrencylab.cluster.NodeProcesses;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a {@code lab squares} run's nodes say, and their launches and exits, as JSON lines in
 * {@code data.dir/nodes-journal/<run>.jsonl}, for serve's table of nodes on the same machine (serve's own sweeps
 * send the same bodies in-process: {@link ToNodesTable}). A line that cannot be written is lost, never the run.
 */
public final class NodesJournal implements NodeProcesses.Watcher {
  /** Past this, a long run's reports are no longer journaled (launches and exits still are). */
  static final long MAX_BYTES = 16L * 1024 * 1024;
  private final Path file;
  private final String run;
  private long written;

  public NodesJournal(Path dataDir, String run) {
    this.file = dataDir.resolve(NodeMessages.JOURNAL_DIR).resolve(run + ".jsonl");
    this.run = run;
  }

  @Override
  public void launched(NodeProcesses.Node node) {
    write(node, "launched", node.pid());
  }

  @Override
  public void reported(JsonObject report, NodeProcesses.Node node) {
    write(node, "report", report);
  }

  @Override
  public void exited(NodeProcesses.Node node) {
    write(node, "exited", node.pid());
  }

  /** From any thread: one whole line per call, in the order they come. */
  private synchronized void write(NodeProcesses.Node node, String what, Object value) {
    if (what.equals("report") && written >= MAX_BYTES) {
      return;
    }
    String line = new JsonObject().put("run", run).put("log", node.log().toString()).put(what, value).encode() + "\n";
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      written += line.length();
    } catch (IOException e) {
      // the page misses a node's line; the sweep goes on
    }
  }
}
