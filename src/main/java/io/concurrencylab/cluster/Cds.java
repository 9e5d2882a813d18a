package io.concurrencylab.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Class-data sharing for node processes: a static AppCDS archive of the classes a node loads, mapped instead of
 * parsed at every start (a large part of a node's start-up). {@code launcher/lab} builds two next to the jar it runs
 * when missing: {@code target/run/concurrency-lab-<stamp>.jsa} from the class list of a real node in a one-node
 * training sweep, for the nodes of sweeps and compares, and {@code ...-<stamp>-members.jsa} from a node of a
 * training {@code lab cluster start}, for the nodes of the app's cluster. One archive for both held ~5 MB more and
 * cost each sweep node ~3 MB of RSS (90-91 against 92-95 MB in {@code lab squares --sizes 4,4 --to 1000000}, run
 * alternately); a node of the app's cluster started from the sweep's archive spent ~1.15 s of CPU to start
 * instead of ~0.88 s, and ~30% more to stop. Without an archive, nodes simply start without.
 */
public final class Cds {
  private Cds() {}

  /** {@code concurrency-lab-<stamp>.jsa} beside {@code concurrency-lab-<stamp>.jar}: an archive fits one jar only. */
  public static Path archive() {
    Path jar = NodeProcesses.jar();
    return jar.resolveSibling(jar.getFileName().toString().replaceAll("\\.jar$", "") + ".jsa");
  }

  /** {@code ...-members.jsa} beside {@code archive}: the archive of a node of the app's cluster. */
  static Path membersArchive(Path archive) {
    return archive.resolveSibling(archive.getFileName().toString().replaceAll("\\.jsa$", "") + "-members.jsa");
  }

  /** @param appCluster a node of the app's cluster: its own archive when there is one, else the sweep's */
  static List<String> flags(boolean appCluster) {
    try {
      return flags(archive(), appCluster);
    } catch (IllegalStateException noJar) {
      return List.of();
    }
  }

  /** The flags for the sweep's archive {@code archive}, or the members' beside it; none when neither is there. */
  static List<String> flags(Path archive, boolean appCluster) {
    Path members = membersArchive(archive);
    Path chosen = appCluster && Files.isRegularFile(members) ? members : archive;
    // Relocation off: this JDK maps archives at a random address by default and then patches every pointer,
    // which turns the whole archive into private memory in each node (measured: +25 MB RSS per node).
    return Files.isRegularFile(chosen) ? List.of("-XX:SharedArchiveFile=" + chosen, "-Xshare:auto",
        "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0") : List.of();
  }
}
