package io.concurrencylab.compare;

import io.concurrencylab.bus.CompareMessages.Workload;

/**
 * The lesson's answers that the comparison puts to the test, one per row, and how a row's figures decide whether
 * it confirms or contradicts its answer. A speed-up of at least {@link #FASTER} counts as faster, one below
 * {@link #NO_FASTER} as no faster; in between the row is inconclusive (e.g. on a machine busy with other work).
 */
enum Lesson {
  BASELINE("the baseline: one task after another", Test.NONE),
  THREADS_FOR_IO("Q1: threads for I/O-bound work (while one waits, another runs)", Test.FASTER),
  LOOP_FOR_IO("Q1: one event loop waits on many sockets at once, no thread per task", Test.FASTER),
  PROCESSES_FOR_IO("Q1: processes speed up I/O-bound work too", Test.FASTER),
  STARTUP("Q2: a pool's start-up is paid by every run that creates it", Test.SLOWER_THAN_WARM),
  LOOP_NOT_FOR_CPU("never block an event loop: CPU tasks on it run one at a time", Test.NO_FASTER),
  JVM_THREADS_FOR_CPU("Q3 here: JVM threads run CPU-bound work on every core (no GIL)", Test.FASTER),
  JVM_PROCESSES_FOR_CPU("Q3 here: processes are no faster than JVM threads; they buy isolation",
      Test.NO_FASTER_THAN_THREADS),
  GIL("Q3: threads do not speed up CPU-bound Python code (the GIL)", Test.NO_FASTER),
  PROCESSES_FOR_CPU("Q3: processes do (one interpreter, one GIL each)", Test.FASTER);

  static final double FASTER = 1.5;
  static final double NO_FASTER = 1.2;
  static final String CONFIRMS = "confirms";
  static final String CONTRADICTS = "contradicts";
  static final String INCONCLUSIVE = "inconclusive";
  /** A pool of one (K or N = 1) runs one task at a time: nothing to test a claim about doing work at once. */
  static final String NOT_TESTED = "not tested (a pool of 1)";
  /** One task per workload: nothing runs at once, whatever the pool. */
  static final String NOT_TESTED_ONE_TASK = "not tested (1 task)";

  /** How a row is judged. */
  enum Test { NONE, FASTER, NO_FASTER, SLOWER_THAN_WARM, NO_FASTER_THAN_THREADS }

  final String text;
  final Test test;

  Lesson(String text, Test test) {
    this.text = text;
    this.test = test;
  }

  /** The answer a way puts to the test, by workload, runtime and way. */
  static Lesson of(Workload workload, boolean jvm, String way) {
    return switch (way) {
      case "sequential" -> BASELINE;
      case "nodes-launch", "pool-creation" -> STARTUP;
      case "event-loop", "asyncio" -> workload == Workload.IO ? LOOP_FOR_IO : LOOP_NOT_FOR_CPU;
      case "workers", "threads" -> workload == Workload.IO ? THREADS_FOR_IO : jvm ? JVM_THREADS_FOR_CPU : GIL;
      case "nodes-warm", "pool-warm" -> workload == Workload.IO ? PROCESSES_FOR_IO
          : jvm ? JVM_PROCESSES_FOR_CPU : PROCESSES_FOR_CPU;
      default -> throw new IllegalArgumentException("no such way: " + way);
    };
  }

  /**
   * The verdict, from the row's speed-up and, where the answer is about another row, that row's figure: the warm
   * row's wall time for {@link Test#SLOWER_THAN_WARM}, the threads row's speed-up for
   * {@link Test#NO_FASTER_THAN_THREADS}.
   */
  String verdict(Double speedup, Double wallMs, Double other) {
    return verdict(speedup, wallMs, other, 2);
  }

  /**
   * As {@link #verdict(Double, Double, Double)}, for a row whose pool (and, for
   * {@link Test#NO_FASTER_THAN_THREADS}, the threads row's pool) has {@code narrowest} threads or processes: with
   * one, a claim about running tasks at once is {@link #NOT_TESTED}, whatever the figures say.
   */
  String verdict(Double speedup, Double wallMs, Double other, int narrowest) {
    if (narrowest < 2 && aboutWorkAtOnce()) {
      return NOT_TESTED;
    }
    return switch (test) {
      case NONE -> "baseline";
      case FASTER -> speedup == null ? null : faster(speedup);
      case NO_FASTER -> speedup == null ? null : invert(faster(speedup));
      // paid: at least a tenth slower than the same pool kept warm; not paid: within 2 % of it
      case SLOWER_THAN_WARM -> wallMs == null || other == null ? null
          : wallMs >= other * 1.1 ? CONFIRMS : wallMs < other * 1.02 ? CONTRADICTS : INCONCLUSIVE;
      case NO_FASTER_THAN_THREADS -> speedup == null || other == null ? null : invert(faster(speedup / other));
    };
  }

  /** Whether the answer is about tasks run at once (not a baseline, not a start-up's cost). */
  boolean aboutWorkAtOnce() {
    return test != Test.NONE && test != Test.SLOWER_THAN_WARM;
  }

  private static String faster(double ratio) {
    return ratio >= FASTER ? CONFIRMS : ratio < NO_FASTER ? CONTRADICTS : INCONCLUSIVE;
  }

  private static String invert(String verdict) {
    return verdict.equals(CONFIRMS) ? CONTRADICTS : verdict.equals(CONTRADICTS) ? CONFIRMS : verdict;
  }
}
