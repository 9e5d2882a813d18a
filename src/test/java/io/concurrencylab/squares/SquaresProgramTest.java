package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquaresProgramTest {
  private static RunRecord record() throws Exception {
    SizeResult one = new SizeResult(1, 10, 900, 10, 80, 990, 0, List.of(), List.of());
    return new RunRecord("r1", "s", "f", RunRequest.validated(List.of(1), 1, 10, null, 8, 100), true, null,
        List.of(one), Sweep.results(new long[] {1, 4, 9, 16, 25, 36, 49, 64, 81, 100}, 1), Sweep.machine());
  }

  @Test
  void saysKeptOnlyWhenTheRecordIsOnDisk() throws Exception {
    assertThat(SquaresProgram.report(record(), true)).last().isEqualTo("run r1 kept in the history");
    assertThat(SquaresProgram.report(record(), false)).last().asString().contains("NOT kept");
  }
}
