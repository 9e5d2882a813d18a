package io.concurrencylab.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.CompareMessages.Progress;
import io.concurrencylab.bus.CompareMessages.Report;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison from the event bus, as serve runs it: start, one at a time, progress, cancel, the latest kept. */
class CompareVerticleTest {
  private static final JsonObject SMALL = new JsonObject().put("tasks", 2).put("delayMs", 5).put("threads", 2)
      .put("nodes", 0).put("runs", 1);
  @TempDir
  Path dir;
  private Vertx vertx;
  private LabConfig config;
  private final List<Progress> progress = new CopyOnWriteArrayList<>();
  private final CompletableFuture<JsonObject> finished = new CompletableFuture<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    config = LabConfig.defaults().with("data.dir", dir.toString());
    vertx.eventBus().<JsonObject>consumer(Addresses.COMPARE_PROGRESS, m -> progress.add(Progress.fromJson(m.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.COMPARE_FINISHED, m -> finished.complete(m.body()));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** Small tasks, and no Python (its rows are skipped; the Python side has tests of its own). */
  private void deploy() {
    vertx.deployVerticle(new CompareVerticle(config, plan -> plan.withWidths(2_000, 200)
        .withPython("no-such-python3", PythonSide.lessonDir(), 10_000))).await();
  }

  private JsonObject request(String address, Object body) {
    return vertx.eventBus().<JsonObject>request(address, body).await().body();
  }

  private ReplyException failure(String address, Object body) {
    Future<Message<Object>> reply = vertx.eventBus().request(address, body);
    return (ReplyException) reply.transform(ar -> Future.succeededFuture(ar.cause())).await();
  }

  @Test
  void runsOneAtATimeReportsProgressAndKeepsTheLatest() throws Exception {
    deploy();
    assertThat(request(Addresses.COMPARE_LATEST, null)).isEqualTo(new JsonObject().putNull("report")
        .putNull("running").putNull("progress"));

    Future<Message<JsonObject>> first = vertx.eventBus().request(Addresses.COMPARE_START, SMALL);
    Future<Message<Object>> second = vertx.eventBus().request(Addresses.COMPARE_START, SMALL);
    String run = first.await().body().getString("run");
    ReplyException busy = (ReplyException) second.transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(busy.failureCode()).isEqualTo(409);
    assertThat(busy.getMessage()).isEqualTo("a comparison is going (" + run + "): one at a time");

    Report report = Report.fromJson(finished.get(120, TimeUnit.SECONDS));
    assertThat(report.id()).isEqualTo(run);
    assertThat(report.ok()).as(report.error()).isTrue();
    assertThat(report.rows()).hasSize(11);
    assertThat(report.rows().stream().filter(r -> r.runtime().equals("jvm"))).allSatisfy(r ->
        assertThat(r.checked()).isEqualTo("2/2 equal"));
    assertThat(report.rows().stream().filter(r -> r.runtime().equals("python")))
        .allSatisfy(r -> assertThat(r.error()).startsWith("skipped: no no-such-python3"));
    assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p.run()).isEqualTo(run));
    assertThat(progress).extracting(Progress::done).isSorted();

    JsonObject latest = request(Addresses.COMPARE_LATEST, null);
    assertThat(latest.getString("running")).isNull();
    assertThat(latest.getJsonObject("report").getString("id")).isEqualTo(run);
    assertThat(new LatestReport(dir).read().getString("id")).as("kept on disk").isEqualTo(run);

    ReplyException none = failure(Addresses.COMPARE_CANCEL, null);
    assertThat(none.failureCode()).isEqualTo(404);
    assertThat(none.getMessage()).isEqualTo("no comparison is going");
  }

  @Test
  void badRequestsAreRefusedAndStartNothing() {
    deploy();
    assertThat(failure(Addresses.COMPARE_START, new JsonObject().put("tasks", 0)).getMessage())
        .isEqualTo("tasks must be at least 1, got 0");
    assertThat(failure(Addresses.COMPARE_START, new JsonObject().put("nodes", 9)).getMessage())
        .isEqualTo("nodes must be at most 8, got 9");
    assertThat(failure(Addresses.COMPARE_START, new JsonObject().put("delayMs", "50")).getMessage())
        .contains("is a string");
    assertThat(failure(Addresses.COMPARE_START, new JsonObject().put("task", 3)).getMessage())
        .startsWith("unknown field \"task\"");
    assertThat(failure(Addresses.COMPARE_START, "go").failureCode()).isEqualTo(400);
    assertThat(failure(Addresses.COMPARE_CANCEL, new JsonObject().put("x", 1)).failureCode()).isEqualTo(400);
    assertThat(failure(Addresses.COMPARE_LATEST, 5).failureCode()).isEqualTo(400);
    assertThat(request(Addresses.COMPARE_LATEST, null).getString("running")).isNull();
    assertThat(progress).isEmpty();
  }

  /** A report that measured something: one row. */
  private static Report measured(String id) {
    return new Report(id, "a", "b", true, null, io.concurrencylab.bus.CompareMessages.Request.defaults(),
        new JsonObject(), List.of(new io.concurrencylab.bus.CompareMessages.Row(
            io.concurrencylab.bus.CompareMessages.Workload.values()[0], "jvm", "sequential", "one thread",
            List.of(1.0), 1.0, 1.0, 1.0, "2/2 equal", true, null, null, null)), null, List.of());
  }

  @Test
  void aCancelStopsTheComparisonGoingAndKeepsTheLastReport() throws Exception {
    Report before = measured("20260101-000000-abcd");
    assertThat(new LatestReport(dir).write(before.toJson())).isTrue();
    deploy();
    CompletableFuture<Progress> sequential = new CompletableFuture<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.COMPARE_PROGRESS, m -> {
      if (m.body().getString("step").startsWith("I/O-bound · JVM · one thread")) {
        sequential.complete(Progress.fromJson(m.body()));
      }
    }).completion().await();
    // 16 sequential requests of 1 s a run, 3 runs and a warm-up: only a cancel ends it soon
    String run = request(Addresses.COMPARE_START, SMALL.copy().put("tasks", 16).put("delayMs", 1_000).put("runs", 3))
        .getString("run");
    sequential.get(60, TimeUnit.SECONDS);
    assertThat(request(Addresses.COMPARE_LATEST, null).getString("running")).isEqualTo(run);

    assertThat(request(Addresses.COMPARE_CANCEL, null).getString("run")).isEqualTo(run);
    Report report = Report.fromJson(finished.get(30, TimeUnit.SECONDS));
    assertThat(report.ok()).isFalse();
    assertThat(report.error()).isEqualTo("cancelled");
    assertThat(report.rows()).as("cancelled in its first step").isEmpty();
    JsonObject latest = request(Addresses.COMPARE_LATEST, null);
    assertThat(latest.getString("running")).isNull();
    // it measured nothing: the last report stays, on disk and served (a cancel used to wipe the page's chart)
    assertThat(latest.getJsonObject("report")).isEqualTo(before.toJson());
    assertThat(new LatestReport(dir).read()).isEqualTo(before.toJson());
  }

  /** A lab compare run by hand keeps its report in the same file: serve shows it without a restart. */
  @Test
  void aReportWrittenByAnotherProcessIsServedAndAnnounced() throws Exception {
    deploy();
    Report other = measured("20260102-000000-beef");
    assertThat(new LatestReport(dir).write(other.toJson())).isTrue();
    assertThat(Report.fromJson(finished.get(10, TimeUnit.SECONDS))).isEqualTo(other);
    assertThat(request(Addresses.COMPARE_LATEST, null).getJsonObject("report")).isEqualTo(other.toJson());
  }

  @Test
  void theLatestKeptIsReadAtStartAndADamagedOneIsIgnored() throws Exception {
    Report kept = new Report("20260101-000000-abcd", "a", "b", true, null,
        io.concurrencylab.bus.CompareMessages.Request.defaults(), new JsonObject(), List.of(), null, List.of());
    assertThat(new LatestReport(dir).write(kept.toJson())).isTrue();
    deploy();
    assertThat(request(Addresses.COMPARE_LATEST, null).getJsonObject("report")).isEqualTo(kept.toJson());

    Files.writeString(new LatestReport(dir).file(), "{\"id\": 3}");
    assertThat(new LatestReport(dir).read()).isNull();
    Files.writeString(new LatestReport(dir).file(), "not json");
    assertThat(new LatestReport(dir).read()).isNull();
    assertThatThrownBy(() -> Report.fromJson(new JsonObject())).isInstanceOf(RuntimeException.class);
  }
}
