package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.NodeMessages;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journals are files anyone on the machine could write: what serve reads of them is bounded. */
class NodesJournalReaderTest {
  @TempDir
  Path data;

  private String line(long pid) {
    return new JsonObject().put("run", "r").put("log", data.resolve("logs").resolve("n.log").toString())
        .put("launched", pid).encode() + "\n";
  }

  @Test
  void readsWholeNewLinesOnceAndSkipsALineLongerThanARead() throws Exception {
    Path dir = Files.createDirectories(data.resolve(NodeMessages.JOURNAL_DIR));
    Files.createDirectories(data.resolve("logs")); // a sweep makes it before its first node
    Path journal = dir.resolve("r.jsonl");
    Files.writeString(journal, "x".repeat(NodesJournalReader.MAX_READ + 10) + "\n" + line(1) + line(2).substring(0, 5));
    NodesJournalReader reader = new NodesJournalReader(data);
    assertThat(reader.read()).isEmpty(); // the first read is all of an overlong line
    assertThat(reader.read()).extracting(b -> b.getLong("launched")).containsExactly(1L); // then the half line waits
    Files.writeString(journal, line(2).substring(5), java.nio.file.StandardOpenOption.APPEND);
    assertThat(reader.read()).extracting(b -> b.getLong("launched")).containsExactly(2L);
    assertThat(reader.read()).isEmpty();
  }

  /**
   * A line naming a log under data/logs only through a link (which leads out of it) is not taken; a FIFO among the
   * journals is not opened (it would block the reader until someone writes to it).
   */
  @Test
  void aLinkOutOfTheLogsFolderAndAFifoAreLeftAlone() throws Exception {
    Path dir = Files.createDirectories(data.resolve(NodeMessages.JOURNAL_DIR));
    Path logs = Files.createDirectories(data.resolve("logs"));
    Path outside = Files.createDirectories(data.resolve("outside"));
    Files.createSymbolicLink(logs.resolve("out"), outside);
    assertThat(new ProcessBuilder("mkfifo", dir.resolve("fifo.jsonl").toString()).start().waitFor()).isZero();
    String viaLink = new JsonObject().put("run", "r").put("log", logs.resolve("out").resolve("n.log").toString())
        .put("launched", 7).encode() + "\n";
    Files.writeString(dir.resolve("r.jsonl"), viaLink + line(8));
    assertThat(new NodesJournalReader(data).read()).extracting(b -> b.getLong("launched")).containsExactly(8L);
  }

  /** A damaged journal is said once in serve's log, not skipped silently nor once a line; what follows is read. */
  @Test
  void aDamagedJournalIsLoggedOnceAndTheLinesAfterTheDamageAreRead() throws Exception {
    Path dir = Files.createDirectories(data.resolve(NodeMessages.JOURNAL_DIR));
    Files.createDirectories(data.resolve("logs"));
    Path journal = dir.resolve("r.jsonl");
    Files.writeString(journal, "{\"run\": \"r\", \"lo\n" + "[1, 2]\n" + line(1));
    try (io.concurrencylab.testing.LogCapture log = new io.concurrencylab.testing.LogCapture()) {
      NodesJournalReader reader = new NodesJournalReader(data);
      assertThat(reader.read()).extracting(b -> b.getLong("launched")).containsExactly(1L);
      Files.writeString(journal, "garbage\n" + line(2), java.nio.file.StandardOpenOption.APPEND);
      assertThat(reader.read()).extracting(b -> b.getLong("launched")).containsExactly(2L);
      assertThat(log.warnings()).containsExactly("WARN " + NodesJournalReader.class.getName()
          + ": nodes journal r.jsonl: 2 line(s) skipped, the first: not a JSON object; the lines after them are read "
          + "(later skips in this file are not logged)");
    }
  }

  @Test
  void everyStaleJournalIsRemovedEvenPastTheOnesRead() throws Exception {
    Path dir = Files.createDirectories(data.resolve(NodeMessages.JOURNAL_DIR));
    Files.createDirectories(data.resolve("logs"));
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - NodesJournalReader.STALE_MS - 60_000);
    for (int i = 0; i < NodesJournalReader.MAX_FILES + 5; i++) {
      Path journal = Files.writeString(dir.resolve("r" + i + ".jsonl"), line(i));
      Files.setLastModifiedTime(journal, old);
    }
    Files.writeString(dir.resolve("fresh.jsonl"), line(99));
    new NodesJournalReader(data).read();
    try (var left = Files.list(dir)) {
      assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("fresh.jsonl");
    }
  }
}
