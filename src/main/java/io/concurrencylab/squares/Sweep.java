package io.concurrencylab.squares;

import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.SquaresMessages.Results;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.concurrencylab.cluster.NodeProcesses;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One squares run, the lesson's {@code Pool(N).map(square, ...)} for each N: forms a cluster of its own (its own
 * name, on {@code squares.port}), so nothing else on the machine joins it or disturbs its timings; the coordinator
 * launches, uses and stops the nodes of each size; the record goes to the history. Whatever happens, every node it
 * started is stopped and the cluster is left before the returned future completes.
 */
public final class Sweep {
  private static final Logger log = LoggerFactory.getLogger(Sweep.class);

  private Sweep() {}

  public static String newRunId() {
    // sortable, readable, unique enough for one machine: 20261125-112303-7fae
    return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
        .format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 4);
  }

  /**
   * Runs the sweep. The future always succeeds with the record once everything is stopped; a failed run has
   * {@code ok == false} and its error.
   */
  public static Future<RunRecord> run(LabConfig config, RunRequest request, String runId, RunHistory history,
      NodeProcesses processes, Consumer<Progress> progress) {
    return run(config, request, runId, history, processes, progress, new Control());
  }

  /**
   * A way to interrupt a running sweep from another thread: the run then stops its nodes, is recorded as
   * interrupted, and its future completes as usual.
   */
  public static final class Control {
    private volatile Coordinator coordinator;
    private volatile String interrupted;

    public void interrupt(String why) {
      interrupted = "interrupted (" + why + "); every node it started was stopped";
      Coordinator c = coordinator;
      if (c != null) {
        c.interrupt(interrupted);
      }
    }

    public boolean isInterrupted() {
      return interrupted != null;
    }

    void attach(Coordinator c) {
      coordinator = c;
      if (interrupted != null) {
        c.interrupt(interrupted);
      }
    }
  }

  public static Future<RunRecord> run(LabConfig config, RunRequest request, String runId, RunHistory history,
      NodeProcesses processes, Consumer<Progress> progress, Control control) {
    String started = Instant.now().toString();
    Promise<RunRecord> record = Promise.promise();
    SweepCluster.form(config, request, runId, processes, progress).onComplete(formed -> {
      if (formed.failed()) {
        RunRecord r = failed(runId, started, request, List.of(), "could not form the sweep cluster: "
            + formed.cause().getMessage());
        processes.stopAll(config.squaresStopGraceMs()).onComplete(v -> record.complete(r));
        return;
      }
      SweepCluster sweep = formed.result();
      var vertx = sweep.vertx;
      Coordinator coordinator = sweep.coordinator;
      control.attach(coordinator);
      coordinator.onContext(coordinator::runAll)
          .compose(sizes -> vertx.executeBlocking(() -> new RunRecord(runId, started, Instant.now().toString(), request,
              true, null, sizes, results(coordinator.lastResults, request.from()), machine())))
          .recover(e -> Future.succeededFuture(failed(runId, started, request, List.of(), e.getMessage())))
          .compose(r -> vertx.executeBlocking(() -> {
            history.append(r);
            return r;
          }).recover(e -> {
            log.error("could not append run {} to {}: {}", runId, history.file(), e.getMessage());
            return Future.succeededFuture(r);
          }))
          .onComplete(done -> sweep.close(config.squaresStopGraceMs()).onComplete(closed -> record.complete(done.result())));
    });
    return record.future();
  }

  /** The record of a run stopped from outside (Ctrl-C, serve stopping): kept, so every run has its line. */
  public static RunRecord interrupted(String runId, String started, RunRequest request, String why) {
    return failed(runId, started, request, List.of(), "interrupted (" + why + "); every node it started was stopped");
  }

  private static RunRecord failed(String runId, String started, RunRequest request, List<SizeResult> sizes,
      String error) {
    return new RunRecord(runId, started, Instant.now().toString(), request, false, error, sizes, null, machine());
  }

  /** All the values when few; else the first and last ten and a digest of all. */
  public static Results results(long[] values, long from) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    ByteBuffer buffer = ByteBuffer.allocate(8 * 4096);
    for (long v : values) {
      if (!buffer.hasRemaining()) {
        sha.update(buffer.flip());
        buffer.clear();
      }
      buffer.putLong(v);
    }
    sha.update(buffer.flip());
    List<Long> first = new ArrayList<>();
    List<Long> last = new ArrayList<>();
    for (int i = 0; i < Math.min(10, values.length); i++) {
      first.add(values[i]);
      last.add(0, values[values.length - 1 - i]);
    }
    List<Long> all = null;
    if (values.length <= Results.KEEP_ALL) {
      all = new ArrayList<>();
      for (long v : values) {
        all.add(v);
      }
    }
    return new Results(values.length, all, first, last, HexFormat.of().formatHex(sha.digest()));
  }

  /** Where the numbers came from: cores, JVM, OS, Vert.x and Hazelcast versions. */
  public static JsonObject machine() {
    return new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
        .put("vertx", Versions.vertx())
        .put("hazelcast", Versions.hazelcast());
  }
}
