package io.concurrencylab.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged latest report is one warning line saying what is wrong, and then as if there were none. */
class LatestReportTest {
  @TempDir
  Path dir;

  @Test
  void aDamagedReportIsOneLineSayingWhatIsWrong() throws Exception {
    LatestReport latest = new LatestReport(dir);
    Path file = dir.resolve("compare").resolve("latest.json");
    Files.createDirectories(file.getParent());
    Map<String, String> expected = Map.of(
        "{\"id\": \"x\", \"rows\": [", "not valid JSON: Unexpected end-of-input",
        "[1, 2]", "not a JSON object",
        "{}", "not a whole comparison report (a field is missing or of another type)");
    for (var entry : expected.entrySet()) {
      Files.writeString(file, entry.getKey());
      try (LogCapture log = new LogCapture()) {
        assertThat(latest.read()).as(entry.getKey()).isNull();
        assertThat(log.warnings()).as(entry.getKey()).singleElement().asString()
            .contains("ignoring " + file + ": " + entry.getValue()).doesNotContain("\n").doesNotContain("Source")
            .doesNotContain("Cannot invoke");
      }
    }
  }
}
