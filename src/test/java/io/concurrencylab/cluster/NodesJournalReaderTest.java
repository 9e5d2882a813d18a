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
    Path journal = dir.resolve("r.jsonl");
    Files.writeString(journal, "x".repeat(NodesJournalReader.MAX_READ + 10) + "\n" + line(1) + line(2).substring(0, 5));
    NodesJournalReader reader = new NodesJournalReader(data);
    assertThat(reader.read()).isEmpty(); // the first read is all of an overlong line
    assertThat(reader.read()).extracting(b -> b.getLong("launched")).containsExactly(1L); // then the half line waits
    Files.writeString(journal, line(2).substring(5), java.nio.file.StandardOpenOption.APPEND);
    assertThat(reader.read()).extracting(b -> b.getLong("launched")).containsExactly(2L);
    assertThat(reader.read()).isEmpty();
  }

  @Test
  void everyStaleJournalIsRemovedEvenPastTheOnesRead() throws Exception {
    Path dir = Files.createDirectories(data.resolve(NodeMessages.JOURNAL_DIR));
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
