package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class SweepVerticleTest {
  @TempDir
  Path data;

  @Test
  void aDamagedHistoryDoesNotStopItFromStarting(Vertx vertx) throws Exception {
    RunRecord good = new RunRecord("good", "s", "f", RunRequest.validated(List.of(1), 1, 10, null, 8, 100), true,
        null, List.of(), Sweep.results(new long[] {1, 4, 9}, 1), Sweep.machine());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '\n'}); // not UTF-8: one byte like this stopped serve
    bytes.write((good.toJson().encode() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bytes.write("{\"id\":\"cut sh".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path file = new RunHistory(data).file();
    Files.createDirectories(file.getParent());
    Files.write(file, bytes.toByteArray());

    vertx.deployVerticle(new SweepVerticle(LabConfig.defaults().with("data.dir", data.toString()))).await();

    JsonObject runs = vertx.eventBus().<JsonObject>request(Addresses.SQUARES_RUNS, null).await().body();
    assertThat(SquaresMessages.runsFromJson(runs)).extracting(RunRecord::id).containsExactly("good");
  }

  /**
   * A folder, a FIFO or a link to /dev/zero where the history goes: serve starts without the runs (one error line),
   * rather than not at all or never (a FIFO or /dev/zero would be read forever).
   */
  @Test
  void aHistoryThatIsNotAFileDoesNotStopItFromStarting(Vertx vertx) throws Exception {
    Path file = new RunHistory(data).file();
    Files.createDirectories(file.getParent());
    for (String kind : List.of("folder", "fifo", "device")) {
      Files.deleteIfExists(file);
      switch (kind) {
        case "folder" -> Files.createDirectory(file);
        case "fifo" -> assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
        default -> Files.createSymbolicLink(file, Path.of("/dev/zero"));
      }
      try (io.concurrencylab.testing.LogCapture log = new io.concurrencylab.testing.LogCapture()) {
        String id = vertx.deployVerticle(new SweepVerticle(LabConfig.defaults().with("data.dir", data.toString())))
            .timeout(10, java.util.concurrent.TimeUnit.SECONDS).await();
        JsonObject runs = vertx.eventBus().<JsonObject>request(Addresses.SQUARES_RUNS, null).await().body();
        assertThat(SquaresMessages.runsFromJson(runs)).as(kind).isEmpty();
        assertThat(log.warnings()).as(kind).singleElement().asString().contains("cannot read the squares history "
            + file + " (not a regular file): serve starts without the runs in it");
        vertx.undeploy(id).await();
      }
    }
  }

  /** A run that another process (lab squares) appends to the history is announced live, once. */
  @Test
  void aRunAppendedByAnotherProcessIsAnnouncedLive(Vertx vertx) throws Exception {
    vertx.deployVerticle(new SweepVerticle(LabConfig.defaults().with("data.dir", data.toString()))).await();
    java.util.concurrent.LinkedBlockingQueue<JsonObject> finished = new java.util.concurrent.LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.SQUARES_FINISHED, m -> finished.add(m.body())).completion().await();
    RunRecord cli = new RunRecord("cli-1", "s", "f", RunRequest.validated(List.of(1), 1, 10, null, 8, 100), true,
        null, List.of(), Sweep.results(new long[] {1, 4, 9}, 1), Sweep.machine());
    new RunHistory(data).append(cli); // as lab squares does, from another process

    JsonObject announced = finished.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(announced).as("lab.squares.finished within 10 s").isNotNull();
    assertThat(RunRecord.fromJson(announced)).isEqualTo(cli);
    JsonObject runs = vertx.eventBus().<JsonObject>request(Addresses.SQUARES_RUNS, null).await().body();
    assertThat(SquaresMessages.runsFromJson(runs)).extracting(RunRecord::id).containsExactly("cli-1");
    // the next change of the file announces only what is new
    RunRecord second = new RunRecord("cli-2", "s2", "f", cli.request(), true, null, List.of(), cli.results(),
        cli.machine());
    new RunHistory(data).append(second);
    assertThat(RunRecord.fromJson(finished.poll(10, java.util.concurrent.TimeUnit.SECONDS)).id()).isEqualTo("cli-2");
    assertThat(finished).isEmpty();
  }
}
