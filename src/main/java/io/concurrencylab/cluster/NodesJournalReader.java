package io.concurrencylab.cluster;

import io.concurrencylab.bus.NodeMessages;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the journals {@code lab squares} runs on this machine write ({@code data.dir/nodes-journal/*.jsonl}): the
 * lines added since the last read, whole lines only. Bounded: the newest {@link #MAX_FILES} journals are read,
 * {@link #MAX_READ} bytes of each per read; every journal not written for {@link #STALE_MS} is removed. Lines that
 * are not JSON, or name a log outside {@code data.dir/logs}, are skipped: the files are input like any other. The
 * first skip in a journal is logged (one line per journal, not one per line: a damaged file cannot flood the log);
 * the lines after it are still read. Blocking: call it off the event loop.
 */
final class NodesJournalReader {
  static final int MAX_FILES = 16;
  static final int MAX_READ = 256 * 1024;
  static final long STALE_MS = 10 * 60_000;
  private static final Logger log = LoggerFactory.getLogger(NodesJournalReader.class);
  private final Path dir;
  private final Path logs;
  private final Map<Path, Long> offsets = new HashMap<>();
  /** Journals whose skipped line was logged already (only journals still there are kept). */
  private final Set<Path> warned = new HashSet<>();

  NodesJournalReader(Path dataDir) {
    this.dir = dataDir.resolve(NodeMessages.JOURNAL_DIR);
    this.logs = dataDir.resolve("logs").toAbsolutePath().normalize();
  }

  /** The bodies (as {@code lab.nodes.sweep}'s) added to the journals since the last call. */
  synchronized List<JsonObject> read() {
    List<JsonObject> bodies = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return bodies;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "*.jsonl")) {
      // regular files only: opening a FIFO put there would block a worker thread until someone writes to it
      all.forEach(f -> {
        if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          files.add(f);
        }
      });
    } catch (IOException e) {
      return bodies;
    }
    files.sort((a, b) -> Long.compare(modified(b), modified(a))); // the newest first
    offsets.keySet().retainAll(files);
    warned.retainAll(files);
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      boolean stale = System.currentTimeMillis() - modified(file) > STALE_MS;
      if (i < MAX_FILES) {
        readNew(file, bodies);
      }
      if (stale) { // read (if among the newest) or not, it is not shown any more: every stale one goes
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // tried again at the next read
        }
        offsets.remove(file);
      }
    }
    return bodies;
  }

  private void readNew(Path file, List<JsonObject> bodies) {
    long offset = offsets.getOrDefault(file, 0L);
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length < offset) {
        offset = 0; // rewritten
      }
      byte[] bytes = new byte[(int) Math.min(MAX_READ, length - offset)];
      in.seek(offset);
      in.readFully(bytes);
      int end = 0;
      int skipped = 0;
      String why = null;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          String problem = parse(new String(bytes, end, i - end, StandardCharsets.UTF_8), bodies);
          if (problem != null) {
            skipped++;
            why = why == null ? problem : why;
          }
          end = i + 1;
        }
      }
      if (end == 0 && bytes.length == MAX_READ) {
        end = bytes.length; // a "line" longer than a whole read is no journal line: skipped, not waited on forever
        skipped++;
        why = "a line longer than " + MAX_READ + " bytes";
      }
      offsets.put(file, offset + end);
      if (skipped > 0 && warned.add(file)) {
        log.warn("nodes journal {}: {} line(s) skipped, the first: {}; the lines after them are read (later skips "
            + "in this file are not logged)", file.getFileName(), skipped, why);
      }
    } catch (IOException e) {
      // gone meanwhile, or unreadable: nothing from it this time
    }
  }

  /** Adds the line's body to {@code bodies}; else says why it was skipped. */
  private String parse(String line, List<JsonObject> bodies) {
    JsonObject body;
    try {
      body = new JsonObject(line);
    } catch (RuntimeException e) {
      return "not a JSON object";
    }
    try {
      if (!(body.getValue("run") instanceof String) || !(body.getValue("log") instanceof String logName)) {
        return "no \"run\" or \"log\" text";
      }
      Path nodeLog = Path.of(logName).toAbsolutePath().normalize();
      // under data/logs as written and as resolved (a link on the way would lead out of it); a link as the file
      // itself is refused where it is read (LogTail)
      if (!nodeLog.startsWith(logs) || !nodeLog.getParent().toRealPath().startsWith(logs.toRealPath())) {
        return "a log outside " + logs;
      }
      bodies.add(body);
      return null;
    } catch (IOException | RuntimeException e) {
      return "a log that cannot be resolved";
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
