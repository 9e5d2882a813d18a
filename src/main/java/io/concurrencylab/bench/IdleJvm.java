package io.concurrencylab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The floor under a sweep's teardown: JVMs started with a node's flags that do nothing (no Vert.x, no Hazelcast,
 * no cluster), killed together ({@code kill -9}) until the kernel has reaped every one. What is left of a node's
 * teardown is what ending a process costs here: its threads and memory given back, on two cores.
 *
 * <p>As a process: {@code java -cp lab.jar io.concurrencylab.bench.IdleJvm}, says {@code up} and waits.
 */
public final class IdleJvm {
  private IdleJvm() {}

  public static void main(String[] args) throws Exception {
    System.out.println("up");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // until killed; the bench kills it
  }

  /** {@code count} idle JVMs with {@code jvmFlags}, up, then all killed at once: ms until the last has exited. */
  static double killTogether(int count, String jvmFlags) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    command.addAll(Arrays.asList(jvmFlags.trim().split("\\s+")));
    command.addAll(List.of("-cp", io.concurrencylab.cluster.NodeProcesses.jar().toString(), IdleJvm.class.getName()));
    return killTogether(count, command, true);
  }

  /**
   * The same for {@code count} {@code sleep} processes: one thread, no heap, nothing to give back. The floor under
   * the floor: what ending several processes at once costs against one on this machine, whatever they are.
   */
  static double killSleepersTogether(int count) throws IOException, InterruptedException {
    // (start() returns once sleep is exec'd: the JDK waits for its spawn helper's exec to succeed)
    return killTogether(count, List.of("sleep", "600"), false);
  }

  private static double killTogether(int count, List<String> command, boolean saysUp)
      throws IOException, InterruptedException {
    List<Process> processes = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        processes.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
      }
      for (Process p : processes) {
        if (saysUp && !"up".equals(new String(p.getInputStream().readNBytes(2), StandardCharsets.US_ASCII))) {
          throw new IllegalStateException("an idle JVM did not start");
        }
      }
      long start = System.nanoTime();
      processes.forEach(Process::destroyForcibly);
      for (Process p : processes) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a process outlived kill -9 by 30 s: " + command.get(0));
        }
      }
      return (System.nanoTime() - start) / 1e6;
    } finally {
      processes.forEach(Process::destroyForcibly);
    }
  }
}
