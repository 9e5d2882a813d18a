package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices runs another process appended to the history (a {@code lab squares} on this machine, another serve sharing
 * the data folder): once a second it looks at the file's size and time (a stat, off the event loop), and when they
 * changed reads the records and hands them all to {@code onRecords}, which keeps those it does not know yet. A
 * CLI run takes seconds, so a second is live enough, and a stat a second costs nothing.
 */
final class HistoryWatch {
  private static final Logger log = LoggerFactory.getLogger(HistoryWatch.class);
  static final long EVERY_MS = 1_000;
  private final Vertx vertx;
  private final RunHistory history;
  private final Consumer<List<RunRecord>> onRecords;
  private long timer = -1;
  private String seen = "";
  private boolean looking;

  HistoryWatch(Vertx vertx, RunHistory history, Consumer<List<RunRecord>> onRecords) {
    this.vertx = vertx;
    this.history = history;
    this.onRecords = onRecords;
  }

  /** Starts watching from the file as it is now (what serve read at start). */
  Future<Void> start() {
    return stamp().map(now -> {
      seen = now;
      timer = vertx.setPeriodic(EVERY_MS, id -> look());
      return null;
    });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  private void look() {
    if (looking) {
      return; // the last look is still reading
    }
    looking = true;
    stamp().compose(now -> {
      if (now.equals(seen)) {
        return Future.succeededFuture();
      }
      seen = now;
      return vertx.executeBlocking(history::readAll, false).onSuccess(onRecords::accept).mapEmpty();
    }).onFailure(e -> log.debug("could not look at {}: {}", history.file(), e.toString()))
        .onComplete(ar -> looking = false);
  }

  /** The file's size and last change, or "" while it does not exist. */
  private Future<String> stamp() {
    return vertx.fileSystem().exists(history.file().toString()).compose(exists -> exists
        ? vertx.fileSystem().props(history.file().toString()).map(HistoryWatch::stamp)
        : Future.succeededFuture(""));
  }

  private static String stamp(FileProps props) {
    return props.size() + "@" + props.lastModifiedTime();
  }
}
