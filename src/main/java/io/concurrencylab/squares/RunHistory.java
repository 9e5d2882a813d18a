package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The squares runs, one JSON record per line in {@code <data.dir>/squares-history.jsonl}. A record is appended with
 * a single write of the whole line and forced to disk before the call returns. Whatever else the file holds (a line
 * cut short by a crash, bytes that are not UTF-8, garbage, a huge line) costs only that line: it is skipped with one
 * warning naming the file and line, and the next record appended still starts on a line of its own. Blocking file
 * I/O: call it from a worker ({@code executeBlocking}) or a plain thread, never an event loop.
 */
public final class RunHistory {
  /**
   * The longest line read (and written): a record is a few KB (a run of 8 sizes of 8 nodes ~10 KB), so a longer
   * line is damage, skipped without being held or parsed whole.
   */
  static final int MAX_LINE_BYTES = 1 << 20;
  private static final Logger log = LoggerFactory.getLogger(RunHistory.class);
  private final Path file;
  private final Consumer<String> warn;
  private final java.util.Set<String> appended = new java.util.HashSet<>();
  /** One reader or writer at a time in this process (file locks keep other processes out, not other threads). */
  private static final Object LOCK = new Object();

  public RunHistory(Path dataDir) {
    this(dataDir, log::warn);
  }

  /** @param warn where the one line per skipped record goes (tests collect them) */
  RunHistory(Path dataDir, Consumer<String> warn) {
    this.file = dataDir.resolve("squares-history.jsonl");
    this.warn = warn;
  }

  public Path file() {
    return file;
  }

  /**
   * Appends the record as one line and forces it to disk. When the file does not end with a newline (a crash cut
   * its last line), the write starts with one, so the torn line stays one skipped line and this record is whole.
   *
   * @throws IOException also for a record longer than {@link #MAX_LINE_BYTES}, which could not be read back
   */
  public void append(RunRecord record) throws IOException {
    List<byte[]> line = List.of(line(record));
    synchronized (LOCK) {
      try (FileChannel locked = lock(false)) {
        write(line);
      }
    }
    remember(List.of(record));
  }

  /**
   * Appends, in one write, those of {@code records} the file does not hold yet (by run id): the runs other serves
   * made, for a serve that keeps them too. Several serves may share one data folder: the file is locked while it is
   * read and written, so a run is never written twice.
   *
   * @return the records appended
   */
  public List<RunRecord> appendMissing(List<RunRecord> records) throws IOException {
    synchronized (LOCK) {
      try (FileChannel locked = lock(false)) {
        java.util.Set<String> held = new java.util.HashSet<>();
        read((r, bytes) -> held.add(r.id()), (line, why) -> { }); // readAll has warned of any damage already
        List<RunRecord> missing = new ArrayList<>();
        List<byte[]> lines = new ArrayList<>();
        for (RunRecord r : records) {
          if (held.add(r.id())) {
            lines.add(line(r));
            missing.add(r);
          }
        }
        write(lines);
        remember(missing);
        return missing;
      }
    }
  }

  private static byte[] line(RunRecord record) throws IOException {
    byte[] json = record.toJson().encode().getBytes(StandardCharsets.UTF_8);
    if (json.length + 1 > MAX_LINE_BYTES) {
      throw new IOException("run " + record.id() + ": record too long (" + json.length + " bytes; lines over "
          + MAX_LINE_BYTES + " are skipped when read)");
    }
    return json;
  }

  /** One write of every line (after a newline if the file ends torn), forced to disk. Holding the locks. */
  private void write(List<byte[]> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    if (Files.exists(file)) { // before any open: opening a FIFO waits for a writer, holding the history's locks
      regularFile();
    }
    boolean torn = endsTorn();
    ByteBuffer all = ByteBuffer.allocate((torn ? 1 : 0) + lines.stream().mapToInt(l -> l.length + 1).sum());
    if (torn) {
      all.put((byte) '\n');
    }
    lines.forEach(l -> all.put(l).put((byte) '\n'));
    all.flip();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      while (all.hasRemaining()) {
        channel.write(all);
      }
      channel.force(true);
    }
  }

  /**
   * The lock of this history across processes (a file beside it; shared for reading, exclusive for writing), so
   * serves sharing a data folder never interleave their writes or read a line being written. Closing the channel
   * returned releases it.
   */
  private FileChannel lock(boolean shared) throws IOException {
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      channel.lock(0, Long.MAX_VALUE, shared);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * The history is a file (or a link to one): a folder in its place cannot be read, and a FIFO or a device (a link
   * to /dev/zero) would be read or written forever.
   */
  private void regularFile() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("not a regular file");
    }
  }

  private synchronized void remember(List<RunRecord> records) {
    records.forEach(r -> appended.add(r.id()));
  }

  /** Whether this instance appended (and forced to disk) the run {@code runId}: only then is it "kept". */
  public synchronized boolean appended(String runId) {
    return appended.contains(runId);
  }

  private boolean endsTorn() throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer last = ByteBuffer.allocate(1);
      return size > 0 && channel.read(last, size - 1) == 1 && last.get(0) != '\n';
    }
  }

  /**
   * The newest whole records (at most {@link #MAX_RUNS}, of at most {@link #MAX_HELD_BYTES}), oldest first; every
   * other non-blank line is skipped with one warning, for the first {@link #MAX_WARNINGS} of them, and one line
   * counts the rest (a file of garbage is not a log of garbage). A later read names only lines damaged since.
   */
  public List<RunRecord> readAll() throws IOException {
    java.util.ArrayDeque<RunRecord> records = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Integer> sizes = new java.util.ArrayDeque<>();
    long[] skipped = {0};
    long[] lastDamaged = {0};
    long[] older = {0};
    long[] held = {0};
    synchronized (LOCK) {
      try (FileChannel locked = lock(true)) {
        read((r, bytes) -> {
          records.addLast(r);
          sizes.addLast(bytes);
          held[0] += bytes;
          while (records.size() > MAX_RUNS || held[0] > MAX_HELD_BYTES) {
            records.removeFirst();
            held[0] -= sizes.removeFirst();
            older[0]++;
          }
        }, (why, lineNo) -> {
          // the file is only appended to: a line named by an earlier read of this instance is not named again
          if (lineNo > damagedUpTo && ++skipped[0] <= MAX_WARNINGS) {
            warn(why, lineNo);
          }
          lastDamaged[0] = Math.max(lastDamaged[0], lineNo);
        });
        damagedUpTo = Math.max(damagedUpTo, lastDamaged[0]);
      }
    }
    if (skipped[0] > MAX_WARNINGS) {
      warn.accept(file + ": " + (skipped[0] - MAX_WARNINGS) + " more damaged line(s) skipped, not named one by one");
    }
    if (older[0] > 0 && !toldOlder) {
      toldOlder = true;
      log.info("{}: the newest {} runs read ({} at most, {} MB at most), {} older ones left in the file", file,
          records.size(), MAX_RUNS, MAX_HELD_BYTES >> 20, older[0]);
    }
    return new ArrayList<>(records);
  }

  /**
   * The newest runs read (and held by a serve): a record is ~10 KB, and a page lists them all, so a history of
   * years stays a file, not memory, and not a reply of hundreds of MB.
   */
  public static final int MAX_RUNS = 1_000;
  /** And at most this many bytes of them (as lines): 1,000 runs of ~4-10 KB, but not 1,000 of 1 MB. */
  public static final int MAX_HELD_BYTES = 16 << 20;

  /** The last damaged line this instance has reported (serve reads the file again at each change). */
  private long damagedUpTo;
  private boolean toldOlder;

  /** Damaged lines named one by one per read. */
  static final int MAX_WARNINGS = 20;

  /** Holding the locks; {@code each} gets a record and its line's length, {@code damaged} each line skipped. */
  private void read(java.util.function.ObjIntConsumer<RunRecord> each,
      java.util.function.ObjLongConsumer<String> damaged) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    regularFile();
    try (InputStream in = Files.newInputStream(file)) {
      new LineReader(in).forEach((lineNo, bytes, length, tooLong) -> {
        if (tooLong) {
          damaged.accept("longer than " + MAX_LINE_BYTES + " bytes, not read", lineNo);
          return;
        }
        String line;
        try {
          line = utf8().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
          damaged.accept("not valid UTF-8", lineNo);
          return;
        }
        if (line.isBlank()) {
          return;
        }
        try {
          each.accept(RunRecord.fromJson(new JsonObject(line)), length);
        } catch (RuntimeException e) { // DecodeException, ClassCastException, a missing field...
          damaged.accept(io.concurrencylab.config.TextFiles.notA("run record", e), lineNo);
        }
      });
    }
  }

  private void warn(String why, long lineNo) {
    warn.accept(file + " line " + lineNo + ": skipped (" + why + ")");
  }

  /** Strict: malformed bytes are an error, not silently replaced by U+FFFD. */
  private static CharsetDecoder utf8() {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** What to do with each line: its bytes (without the newline), or {@code tooLong} and no bytes. */
  private interface LineHandler {
    void line(long lineNo, byte[] bytes, int length, boolean tooLong);
  }

  /**
   * Splits a stream on '\n' without decoding it, a buffer at a time, so a file of any size is read in bounded memory:
   * at most one line of up to {@link #MAX_LINE_BYTES} is held; the rest of a longer one is only counted past.
   */
  private static final class LineReader {
    private final InputStream in;
    private byte[] line = new byte[8192];
    private int length;
    private boolean tooLong;
    private long lineNo;

    LineReader(InputStream in) {
      this.in = in;
    }

    void forEach(LineHandler handler) throws IOException {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            add(buffer, start, i - start);
            end(handler);
            start = i + 1;
          }
        }
        add(buffer, start, n - start);
      }
      if (length > 0 || tooLong) { // a last line without its newline: read like any other
        end(handler);
      }
    }

    private void add(byte[] from, int offset, int count) {
      if (tooLong || count == 0) {
        return;
      }
      if (length + count > MAX_LINE_BYTES) {
        tooLong = true;
        length = 0;
        line = new byte[8192]; // let go of what was held
        return;
      }
      if (length + count > line.length) {
        line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, length + count)));
      }
      System.arraycopy(from, offset, line, length, count);
      length += count;
    }

    private void end(LineHandler handler) {
      handler.line(++lineNo, line, length, tooLong);
      length = 0;
      tooLong = false;
    }
  }
}
