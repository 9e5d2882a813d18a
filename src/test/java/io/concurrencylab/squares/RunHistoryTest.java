package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHistoryTest {
  @TempDir
  Path dir;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

  private static RunRecord record(String id) throws Exception {
    return new RunRecord(id, "s", "f", RunRequest.validated(List.of(1, 2), 1, 10, null, 8, 100), true, null, List.of(),
        Sweep.results(new long[] {1, 4, 9}, 1), Sweep.machine());
  }

  private RunHistory history() {
    return new RunHistory(dir, warnings::add);
  }

  private static byte[] line(RunRecord record) {
    return (record.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Writes "one", then {@code damage}, then "two" (each record on its own line) straight to the file. */
  private Path damagedBetween(byte[] damage) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(line(record("one")));
    bytes.write(damage);
    bytes.write(line(record("two")));
    Path file = history().file();
    Files.createDirectories(file.getParent());
    Files.write(file, bytes.toByteArray());
    return file;
  }

  /** The damaged line is the second: one warning naming the file and line 2; appending and reading lose nothing. */
  private void assertSkippedOnceAtLine2ThenAppendKeepsAll(Path file) throws Exception {
    history().append(record("three"));
    assertThat(history().readAll()).extracting(RunRecord::id).containsExactly("one", "two", "three");
    assertThat(warnings).hasSize(1).allSatisfy(w -> assertThat(w).contains(file.toString()).contains("line 2")
        .doesNotContain("Exception").doesNotContain("\n"));
  }

  @Test
  void recordsSurviveARoundTrip() throws Exception {
    RunHistory history = history();
    history.append(record("one"));
    history.append(record("two"));
    assertThat(history.appended("two")).isTrue();
    List<RunRecord> read = history().readAll();
    assertThat(read).extracting(RunRecord::id).containsExactly("one", "two");
    assertThat(read.get(1)).isEqualTo(record("two"));
    assertThat(warnings).isEmpty();
  }

  /** A FIFO in the history's place: a run is not kept, at once, rather than waiting forever for a writer. */
  @Test
  void appendingToAFifoFailsAtOnce() throws Exception {
    RunHistory history = history();
    Files.createDirectories(history.file().getParent());
    assertThat(new ProcessBuilder("mkfifo", history.file().toString()).start().waitFor()).isZero();

    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () ->
        assertThatThrownBy(() -> history.append(record("one"))).isInstanceOf(IOException.class)
            .hasMessage("not a regular file"));
    assertThat(history.appended("one")).isFalse();
  }

  @Test
  void invalidUtf8IsSkippedNotFatal() throws Exception {
    Path file = damagedBetween(new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
    assertSkippedOnceAtLine2ThenAppendKeepsAll(file);
  }

  @Test
  void garbageIsSkipped() throws Exception {
    byte[] garbage = new byte[300];
    new java.util.Random(11).nextBytes(garbage);
    for (int i = 0; i < garbage.length; i++) {
      if (garbage[i] == '\n') {
        garbage[i] = 'x'; // one damaged line, not several
      }
    }
    byte[] damage = Arrays.copyOf(garbage, garbage.length + 1);
    damage[garbage.length] = '\n';
    assertSkippedOnceAtLine2ThenAppendKeepsAll(damagedBetween(damage));
  }

  @Test
  void validJsonThatIsNotARecordIsSkipped() throws Exception {
    assertSkippedOnceAtLine2ThenAppendKeepsAll(damagedBetween("[1, 2, 3]\n".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aHugeLineIsSkippedWithoutBeingParsed() throws Exception {
    // 10 MB of a JSON string: were it parsed, it would be a "record" whose reading costs a 10 MB String or more
    byte[] huge = new byte[10 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'a');
    huge[0] = '"';
    huge[huge.length - 2] = '"';
    huge[huge.length - 1] = '\n';
    Path file = damagedBetween(huge);
    assertSkippedOnceAtLine2ThenAppendKeepsAll(file);
    assertThat(warnings.get(0)).contains("longer than " + RunHistory.MAX_LINE_BYTES);
  }

  @Test
  void aTornLastLineIsSkippedAndTheNextRecordStartsOnItsOwnLine() throws Exception {
    history().append(record("one"));
    history().append(record("two"));
    // a crash in the middle of a write: part of a line at the end, no newline
    Files.writeString(history().file(), "{\"id\":\"torn\",\"star", StandardOpenOption.APPEND);
    assertThat(history().readAll()).extracting(RunRecord::id).containsExactly("one", "two");
    assertThat(warnings).hasSize(1).allSatisfy(w -> assertThat(w).contains(history().file().toString())
        .contains("line 3"));

    warnings.clear();
    history().append(record("three"));
    history().append(record("four"));
    assertThat(history().readAll()).extracting(RunRecord::id).containsExactly("one", "two", "three", "four");
    assertThat(warnings).hasSize(1).allSatisfy(w -> assertThat(w).contains("line 3"));
  }

  @Test
  void aTornLineOfOnlyPartOfAMultiByteCharacterIsSkipped() throws Exception {
    history().append(record("one"));
    Files.write(history().file(), new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xE2, (byte) 0x82},
        StandardOpenOption.APPEND);
    history().append(record("two"));
    assertThat(history().readAll()).extracting(RunRecord::id).containsExactly("one", "two");
    assertThat(warnings).hasSize(1).allSatisfy(w -> assertThat(w).contains("line 2"));
  }

  @Test
  void aWholeLastRecordWithoutItsNewlineIsKept() throws Exception {
    Path file = history().file();
    Files.createDirectories(file.getParent());
    Files.writeString(file, record("one").toJson().encode()); // e.g. written by hand, no final newline
    history().append(record("two"));
    assertThat(history().readAll()).extracting(RunRecord::id).containsExactly("one", "two");
    assertThat(warnings).isEmpty();
  }

  @Test
  void everyDamagedLineIsOneWarningAndBlankLinesNone() throws Exception {
    history().append(record("one"));
    Files.write(history().file(), "\n  \nnot json\n{\"half\":\n".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
    history().append(record("two"));
    assertThat(history().readAll()).extracting(RunRecord::id).containsExactly("one", "two");
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).contains("line 4");
    assertThat(warnings.get(1)).contains("line 5");
  }

  @Test
  void manyRecordsReadBackInOrder() throws Exception {
    List<String> ids = IntStream.range(0, 500).mapToObj(i -> "run-" + i).toList();
    for (String id : ids) {
      history().append(record(id));
    }
    assertThat(history().readAll()).extracting(RunRecord::id).containsExactlyElementsOf(ids);
  }

  @Test
  void aRecordTooLongToReadBackIsRefusedOnAppend() throws Exception {
    RunRecord huge = new RunRecord("huge", "s".repeat(RunHistory.MAX_LINE_BYTES), "f",
        RunRequest.validated(List.of(1), 1, 10, null, 8, 100), true, null, List.of(), null, Sweep.machine());
    RunHistory history = history();
    assertThatThrownBy(() -> history.append(huge)).isInstanceOf(IOException.class)
        .hasMessageContaining("too long");
    assertThat(history.appended("huge")).as("not kept: the report must not say it is").isFalse();
    assertThat(history().readAll()).isEmpty();
  }

  /**
   * A line of valid JSON that lacks what every reader counts on (the runs are listed by start time and id, found by
   * id, shown by status) is skipped like garbage: before, one without "started" made every list of runs fail.
   */
  @Test
  void aRecordWithoutWhatReadersNeedIsSkipped() throws Exception {
    String good = record("mid").toJson().encode();
    List<String> damaged = List.of(
        good.replace("\"started\":\"s\",", ""),
        good.replace("\"started\":\"s\"", "\"started\":null"),
        good.replace("\"id\":\"mid\"", "\"id\":null"),
        good.replace("\"id\":\"mid\"", "\"id\":\"\""),
        good.replace("\"id\":\"mid\"", "\"id\":\"<b>mid</b>\""),
        good.replace("\"id\":\"mid\"", "\"id\":\"" + "m".repeat(101) + "\""),
        good.replace("\"status\":\"done\"", "\"status\":\"weird\""),
        good.replace("\"status\":\"done\"", "\"status\":null"),
        good.replace("\"sizes\":[1,2]", "\"sizes\":[0,2]"),
        good.replace("\"to\":10", "\"to\":-3"));
    for (String line : damaged) {
      assertThat(line).as("the test changed the record").isNotEqualTo(good);
      warnings.clear();
      assertSkippedOnceAtLine2ThenAppendKeepsAll(damagedBetween((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Each skipped line says what is wrong with it in the user's words, not a parser's or an NPE's. */
  @Test
  void aSkippedLineSaysWhatIsWrong() throws Exception {
    Path file = damagedBetween("[1, 2]\n{\"a\": 1}\n{\"id\": \"x\", \n".getBytes(StandardCharsets.UTF_8));
    assertThat(history().readAll()).extracting(RunRecord::id).containsExactly("one", "two");
    assertThat(warnings).containsExactly(file + " line 2: skipped (not a JSON object)",
        file + " line 3: skipped (not a whole run record (a field is missing or of another type))",
        file + " line 4: skipped (not valid JSON: Unexpected end-of-input within/between Object entries "
            + "(line 1, column 13))");
  }

  @Test
  void aFileOfGarbageIsAFewWarningsNotOnePerLine() throws Exception {
    damagedBetween("x\n".repeat(RunHistory.MAX_WARNINGS + 5).getBytes(StandardCharsets.UTF_8));
    assertThat(history().readAll()).extracting(RunRecord::id).containsExactly("one", "two");
    assertThat(warnings).hasSize(RunHistory.MAX_WARNINGS + 1);
    assertThat(warnings.get(RunHistory.MAX_WARNINGS - 1)).contains("line " + (RunHistory.MAX_WARNINGS + 1));
    assertThat(warnings.get(RunHistory.MAX_WARNINGS)).endsWith(": 5 more damaged line(s) skipped, not named one by one");
  }

  /** Serve reads the file again at each change: damage it has named is not named again, new damage is. */
  @Test
  void aLaterReadNamesOnlyNewDamage() throws Exception {
    damagedBetween("x\n".getBytes(StandardCharsets.UTF_8));
    RunHistory history = history();
    history.readAll();
    assertThat(warnings).hasSize(1);
    history.append(record("three"));
    assertThat(history.readAll()).extracting(RunRecord::id).containsExactly("one", "two", "three");
    assertThat(warnings).hasSize(1);
    Files.write(history.file(), "y\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    history.readAll();
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(1)).contains("line 5");
  }

  /** A history of years stays in the file: the newest runs are read, in order. */
  @Test
  void onlyTheNewestRunsAreRead() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < RunHistory.MAX_RUNS + 5; i++) {
      bytes.write(line(record("run-" + i)));
    }
    Files.createDirectories(history().file().getParent());
    Files.write(history().file(), bytes.toByteArray());
    List<RunRecord> read = history().readAll();
    assertThat(read).hasSize(RunHistory.MAX_RUNS);
    assertThat(read.get(0).id()).isEqualTo("run-5");
    assertThat(read.get(read.size() - 1).id()).isEqualTo("run-" + (RunHistory.MAX_RUNS + 4));
    assertThat(warnings).isEmpty();
  }

  /** Nor is a history of huge records held whole: the newest fit in the byte budget. */
  @Test
  void onlyAsManyOfTheNewestRunsAsFitTheByteBudgetAreRead() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String error = "e".repeat(900_000);
    int count = RunHistory.MAX_HELD_BYTES / 900_000 + 5;
    for (int i = 0; i < count; i++) {
      RunRecord r = record("big-" + i);
      bytes.write(line(new RunRecord(r.id(), r.started(), r.finished(), r.request(), false, error, r.sizes(),
          r.results(), r.machine())));
    }
    Files.createDirectories(history().file().getParent());
    Files.write(history().file(), bytes.toByteArray());
    List<RunRecord> read = history().readAll();
    assertThat(read.size()).isLessThanOrEqualTo(RunHistory.MAX_HELD_BYTES / 900_000).isGreaterThan(0);
    assertThat(read.get(read.size() - 1).id()).isEqualTo("big-" + (count - 1));
    assertThat(warnings).isEmpty();
  }

  @Test
  void noFileIsAnEmptyHistory() throws Exception {
    assertThat(new RunHistory(dir.resolve("missing")).readAll()).isEmpty();
  }
}
