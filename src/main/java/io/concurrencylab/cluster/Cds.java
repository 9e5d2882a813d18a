package io.concurrencylab.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Class-data sharing for node processes: an AppCDS archive of the classes a node loads, mapped instead of parsed
 * at every start (a large part of a node's start-up). {@code launcher/lab} builds it next to the jar when missing
 * ({@code target/lab-node.jsa}); without it, nodes simply start without.
 */
public final class Cds {
  private Cds() {}

  public static Path archive() {
    return NodeProcesses.jar().resolveSibling("lab-node.jsa");
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
