package io.concurrencylab.compare;

import io.concurrencylab.bus.CompareMessages.Report;
import io.concurrencylab.config.TextFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest comparison's report, kept in {@code <data.dir>/compare/latest.json} (by {@code lab compare} and by
 * serve), so the page shows the last one measured on this machine, whichever ran it. Replaced whole (a new file
 * moved over the old one): a reader never sees half of one. Blocking: call it off the event loop.
 */
public final class LatestReport {
  private static final Logger log = LoggerFactory.getLogger(LatestReport.class);
  private final Path file;

  public LatestReport(Path dataDir) {
    this.file = dataDir.resolve("compare").resolve("latest.json");
  }

  public Path file() {
    return file;
  }

  /**
   * Whether {@code report} measured anything: a comparison cancelled or failed before its first row replaces
   * nothing, so the page keeps the last chart it had (a cancel used to wipe it).
   */
  public static boolean worthKeeping(JsonObject report) {
    return report.getJsonArray("rows") != null && !report.getJsonArray("rows").isEmpty();
  }

  /** Keeps {@code report} as the latest; false (and a warning) when it cannot be written. */
  public boolean write(JsonObject report) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("latest.json.tmp");
      Files.writeString(tmp, report.encodePrettily(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      log.warn("could not keep the comparison's report in {}: {}", file, e.toString());
      return false;
    }
  }

  /** A report is tens of KB: a larger file is not one of ours, and is not read whole. */
  static final int MAX_BYTES = 4 << 20;

  /** The file's time and size when {@link #readIfChanged} last looked. */
  private Object seen;

  /**
   * The latest report when the file changed since the last call (another process's {@code lab compare} wrote it),
   * else null. One stat per call.
   */
  public JsonObject readIfChanged() {
    Object now;
    try {
      now = Files.isRegularFile(file) ? java.util.List.of(Files.getLastModifiedTime(file), Files.size(file)) : null;
    } catch (IOException e) {
      now = null;
    }
    if (java.util.Objects.equals(now, seen)) {
      return null;
    }
    seen = now;
    return now == null ? null : read();
  }

  /** The latest report, or null when there is none (or it cannot be read: one warning, then as if none). */
  public JsonObject read() {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      // through the record: a file of another shape is refused here, not passed on to the page
      return Report.fromJson(new JsonObject(TextFiles.read(file, MAX_BYTES))).toJson();
    } catch (IOException e) {
      log.warn("ignoring {}: {}", file, TextFiles.why(e));
      return null;
    } catch (RuntimeException e) { // one line that says what is wrong, not the parser's source location or an NPE
      log.warn("ignoring {}: {}", file, TextFiles.notA("comparison report", e));
      return null;
    }
  }
}
