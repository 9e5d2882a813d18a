package io.concurrencylab.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.CompareMessages.Row;
import io.concurrencylab.bus.CompareMessages.Workload;
import io.concurrencylab.compare.Comparison.Draft;
import io.concurrencylab.compare.Ways.Measured;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The verdicts from the figures: a pool of one thread or one process runs one task at a time, so the rows that put
 * a claim about work done at once to the test say "not tested" with K or N = 1, whatever their speed-ups.
 */
class RowsTest {
  private static final List<String> RESULTS = List.of("1", "2");

  private static Draft way(Workload workload, boolean jvm, String way, double ms) {
    return new Draft(workload, jvm, way, way, new Measured(List.of(ms), List.of(ms), List.of(RESULTS), null),
        RESULTS);
  }

  /** Every way of the report, with made-up times: I/O overlaps everywhere, CPU only on the JVM's threads. */
  private static List<Draft> drafts() {
    return List.of(
        way(Workload.IO, true, "sequential", 100), way(Workload.IO, true, "event-loop", 10),
        way(Workload.IO, true, "workers", 100), way(Workload.CPU, true, "sequential", 100),
        way(Workload.CPU, true, "event-loop", 100), way(Workload.CPU, true, "workers", 100),
        way(Workload.IO, false, "sequential", 100), way(Workload.IO, false, "threads", 100),
        way(Workload.IO, false, "asyncio", 10), way(Workload.CPU, false, "sequential", 100),
        way(Workload.CPU, false, "threads", 100), way(Workload.CPU, false, "pool-warm", 100),
        way(Workload.CPU, false, "pool-creation", 200), way(Workload.CPU, true, "nodes-warm", 100),
        way(Workload.CPU, true, "nodes-launch", 200));
  }

  private static Map<String, String> verdicts(int threads, int nodes) {
    return verdicts(threads, nodes, 16);
  }

  private static Map<String, String> verdicts(int threads, int nodes, int tasks) {
    return Rows.build(drafts(), threads, nodes, tasks).stream().collect(Collectors.toMap(
        r -> r.workload().wire() + " " + r.runtime() + " " + r.way(), Row::verdict));
  }

  @Test
  void aPoolOfOneTestsNoClaimAboutWorkAtOnce() {
    Map<String, String> oneProcess = verdicts(2, 1);
    assertThat(oneProcess.get("cpu python pool-warm")).isEqualTo(Lesson.NOT_TESTED);
    assertThat(oneProcess.get("cpu jvm nodes-warm")).isEqualTo(Lesson.NOT_TESTED);
    // the pool's start-up is paid with one process as with eight; threads are still judged
    assertThat(oneProcess.get("cpu python pool-creation")).isEqualTo(Lesson.CONFIRMS);
    assertThat(oneProcess.get("io jvm workers")).isEqualTo(Lesson.CONTRADICTS);

    Map<String, String> oneThread = verdicts(1, 2);
    assertThat(oneThread.get("io jvm workers")).isEqualTo(Lesson.NOT_TESTED);
    assertThat(oneThread.get("cpu python threads")).isEqualTo(Lesson.NOT_TESTED);
    assertThat(oneThread.get("io python threads")).isEqualTo(Lesson.NOT_TESTED);
    // processes against threads needs both pools wider than one
    assertThat(oneThread.get("cpu jvm nodes-warm")).isEqualTo(Lesson.NOT_TESTED);
    assertThat(oneThread.get("cpu python pool-warm")).isEqualTo(Lesson.CONTRADICTS);
    // no pool: the event loop and asyncio are judged whatever K and N are
    assertThat(oneThread.get("io jvm event-loop")).isEqualTo(Lesson.CONFIRMS);
    assertThat(oneThread.get("io python asyncio")).isEqualTo(Lesson.CONFIRMS);
  }

  /** One task per workload: no way runs two at once, so no answer about work done at once is tested. */
  @Test
  void oneTaskTestsNoClaimAboutWorkAtOnce() {
    Map<String, String> one = verdicts(2, 2, 1);
    for (String row : List.of("io jvm event-loop", "io jvm workers", "cpu jvm workers", "io python asyncio",
        "cpu python threads", "cpu python pool-warm", "cpu jvm nodes-warm")) {
      assertThat(one.get(row)).as(row).isEqualTo(Lesson.NOT_TESTED_ONE_TASK);
    }
    // the baseline is a baseline, and a start-up is paid with one task as with many
    assertThat(one.get("cpu jvm sequential")).isEqualTo("baseline");
    assertThat(one.get("cpu python pool-creation")).isEqualTo(Lesson.CONFIRMS);
    assertThat(verdicts(2, 2, 2).values()).doesNotContain(Lesson.NOT_TESTED_ONE_TASK);
  }

  @Test
  void poolsOfTwoAreJudgedOnTheirFigures() {
    Map<String, String> two = verdicts(2, 2);
    assertThat(two.get("io jvm workers")).isEqualTo(Lesson.CONTRADICTS);
    assertThat(two.get("cpu python threads")).isEqualTo(Lesson.CONFIRMS); // no faster: the GIL's answer
    assertThat(two.get("cpu python pool-warm")).isEqualTo(Lesson.CONTRADICTS);
    assertThat(two.values()).doesNotContain(Lesson.NOT_TESTED);
  }
}
