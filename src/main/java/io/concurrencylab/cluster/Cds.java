package io.concurrencylab.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Class-data sharing for node processes: a static AppCDS archive of the classes a node loads, mapped instead of
 * parsed at every start (a large part of a node's start-up). {@code launcher/lab} builds it next to the jar it runs
 * when missing ({@code target/run/concurrency-lab-<stamp>.jsa}), from the class list of a real node in a one-node
 * training sweep; without it, nodes simply start without.
 */
public final class Cds {
  private Cds() {}

  /** {@code concurrency-lab-<stamp>.jsa} beside {@code concurrency-lab-<stamp>.jar}: an archive fits one jar only. */
  public static Path archive() {
    Path jar = NodeProcesses.jar();
    return jar.resolveSibling(jar.getFileName().toString().replaceAll("\\.jar$", "") + ".jsa");
  }

  static List<String> flags() {
    try {
      Path archive = archive();
      // Relocation off: this JDK maps archives at a random address by default and then patches every pointer,
      // which turns the whole archive into private memory in each node (measured: +25 MB RSS per node).
      return Files.isRegularFile(archive) ? List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto",
          "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0") : List.of();
    } catch (IllegalStateException noJar) {
      return List.of();
    }
  }
}
