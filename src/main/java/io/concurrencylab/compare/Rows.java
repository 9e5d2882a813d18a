package io.concurrencylab.compare;

import io.concurrencylab.bus.CompareMessages.Row;
import io.concurrencylab.compare.Comparison.Draft;
import io.concurrencylab.compare.Ways.Measured;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The report's rows from the measured ways: each way's medians, its speed-up against the sequential way of its own
 * workload and runtime, the check of every result it got, and the verdict on the lesson's answer it tests.
 */
final class Rows {
  private Rows() {}

  /** {@code threads} and {@code nodes}: the request's K and N, the width of the pools the ways ran on. */
  static List<Row> build(List<Draft> drafts, int threads, int nodes, int tasks) {
    List<Row> rows = new ArrayList<>();
    for (Draft d : drafts) {
      Measured m = d.measured();
      Double wall = Stats.median(m.wallMs());
      List<Double> knownCpu = m.cpuMs().stream().filter(Objects::nonNull).toList();
      Double cpu = knownCpu.size() == m.cpuMs().size() ? Stats.median(knownCpu) : null;
      Double baseline = wall(drafts, d, "sequential");
      // one decimal, as shown everywhere; the verdict is judged on that same figure
      Double speedup = wall == null || baseline == null ? null : Math.round(baseline / wall * 10) / 10.0;
      Lesson lesson = Lesson.of(d.workload(), d.jvm(), d.way());
      Double other = switch (lesson.test) {
        case SLOWER_THAN_WARM -> wall(drafts, d, d.jvm() ? "nodes-warm" : "pool-warm");
        case NO_FASTER_THAN_THREADS -> {
          Double workers = wall(drafts, d, "workers");
          yield workers == null || baseline == null ? null : baseline / workers;
        }
        default -> null;
      };
      Check check = check(m, d.expected());
      String verdict = m.error() != null ? null : !check.equal() ? "results differ"
          : tasks < 2 && lesson.aboutWorkAtOnce() ? Lesson.NOT_TESTED_ONE_TASK // one task: nothing at once
          : lesson.verdict(speedup, wall, other, width(d.way(), lesson, threads, nodes));
      rows.add(new Row(d.workload(), d.jvm() ? "jvm" : "python", d.way(), d.label(), m.wallMs(), wall, cpu, speedup,
          check.text(), check.equal(), lesson.text, verdict, m.error()));
    }
    return rows;
  }

  /**
   * How many tasks the row's way can run at once: K for threads, N for processes, the narrower of the two where the
   * answer weighs processes against threads; 2 (enough to test) for ways with no pool.
   */
  private static int width(String way, Lesson lesson, int threads, int nodes) {
    if (lesson.test == Lesson.Test.NO_FASTER_THAN_THREADS) {
      return Math.min(threads, nodes);
    }
    return switch (way) {
      case "workers", "threads" -> threads;
      case "nodes-warm", "nodes-launch", "pool-warm", "pool-creation" -> nodes;
      default -> 2;
    };
  }

  /** The median wall time of another way of the same workload and runtime, if it ran without error. */
  private static Double wall(List<Draft> drafts, Draft of, String way) {
    return drafts.stream().filter(d -> d.workload() == of.workload() && d.jvm() == of.jvm() && d.way().equals(way)
        && d.measured().error() == null).map(d -> Stats.median(d.measured().wallMs())).filter(Objects::nonNull)
        .findFirst().orElse(null);
  }

  record Check(String text, boolean equal) {}

  /** Every result of every timed run against the reference; the first difference is named. */
  static Check check(Measured m, List<String> expected) {
    if (m.error() != null) {
      return new Check("not run", false);
    }
    int total = 0;
    int equal = 0;
    String first = null;
    for (List<String> run : m.results()) {
      if (run.size() != expected.size() && first == null) {
        first = run.size() + " results instead of " + expected.size();
      }
      for (int i = 0; i < expected.size(); i++) {
        total++;
        String got = i < run.size() ? run.get(i) : null;
        if (expected.get(i).equals(got)) {
          equal++;
        } else if (first == null) {
          first = "task " + i + ": got " + got + ", expected " + expected.get(i);
        }
      }
    }
    if (m.results().isEmpty()) {
      return new Check("no results", false);
    }
    return first == null ? new Check(equal + "/" + total + " equal", true)
        : new Check("DIFFERENT: " + equal + "/" + total + " equal; " + first, false);
  }
}
