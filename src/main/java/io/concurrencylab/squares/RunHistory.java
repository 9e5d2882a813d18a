package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The squares runs, one JSON record per line in {@code <data.dir>/squares-history.jsonl}. A record is appended with
 * a single write of the whole line and forced to disk before the call returns; should a crash still cut a line
 * short, reading skips that line (and says so) rather than losing the file. Blocking file I/O: call it from a worker
 * ({@code executeBlocking}) or a plain thread, never an event loop.
 */
public final class RunHistory {
  private static final Logger log = LoggerFactory.getLogger(RunHistory.class);
  private final Path file;

  public RunHistory(Path dataDir) {
    this.file = dataDir.resolve("squares-history.jsonl");
  }

  public Path file() {
    return file;
  }

  public synchronized void append(RunRecord record) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] line = (record.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** Every whole record, oldest first. */
  public synchronized List<RunRecord> readAll() throws IOException {
    List<RunRecord> records = new ArrayList<>();
    if (!Files.exists(file)) {
      return records;
    }
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        records.add(RunRecord.fromJson(new JsonObject(line)));
      } catch (RuntimeException e) { // DecodeException included
        log.warn("{} line {}: skipping an incomplete or unreadable record ({})", file, lineNo, e.getMessage());
      }
    }
    return records;
  }
}
