package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHistoryTest {
  @TempDir
  Path dir;

  private static RunRecord record(String id) throws Exception {
    return new RunRecord(id, "s", "f", RunRequest.validated(List.of(1, 2), 1, 10, null, 8, 100), true, null, List.of(),
        Sweep.results(new long[] {1, 4, 9}, 1), Sweep.machine());
  }

  @Test
  void recordsSurviveARoundTripAndATornLastLineIsSkipped() throws Exception {
    RunHistory history = new RunHistory(dir);
    history.append(record("one"));
    history.append(record("two"));
    // a crash in the middle of a write: half a line at the end
    Files.writeString(history.file(), "{\"id\":\"three\",\"star", StandardOpenOption.APPEND);
    List<RunRecord> read = new RunHistory(dir).readAll();
    assertThat(read).extracting(RunRecord::id).containsExactly("one", "two");
    assertThat(read.get(1)).isEqualTo(record("two"));
  }

  @Test
  void noFileIsAnEmptyHistory() throws Exception {
    assertThat(new RunHistory(dir.resolve("missing")).readAll()).isEmpty();
  }
}
