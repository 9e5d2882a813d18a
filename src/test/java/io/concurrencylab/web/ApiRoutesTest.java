package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.FactorialMessages.Result;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.WebMessages;
import io.concurrencylab.bus.WebMessages.Error;
import io.concurrencylab.web.WebFixture.Reply;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every route of the JSON API against the real list owner and factorial workers, good input and bad. */
class ApiRoutesTest {
  @org.junit.jupiter.api.io.TempDir
  java.nio.file.Path data; // a handler's data folder, removed after each test
  private WebFixture web;

  @BeforeEach
  void start() {
    web = WebFixture.start();
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private JsonObject list() {
    Reply reply = web.get("/api/list");
    assertThat(reply.status()).isEqualTo(200);
    return reply.json();
  }

  /** An error answer: JSON {"error", "status"} with that status, and a message. */
  private static Error assertError(Reply reply, int status) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/json");
    Error error = Error.fromJson(reply.json());
    assertThat(error.status()).isEqualTo(status);
    assertThat(error.error()).isNotBlank();
    return error;
  }

  @Test
  void addsRemovesAndShowsTheList() {
    assertThat(list()).isEqualTo(new JsonObject("{\"items\":[],\"size\":0,\"added\":0,\"removed\":0}"));

    Reply added = web.post("/api/list", "{\"value\": 42}");
    assertThat(added.status()).isEqualTo(200);
    assertThat(added.json()).isEqualTo(new JsonObject("{\"added\":42,\"size\":1}"));
    assertThat(web.post("/api/list", "17").json()).isEqualTo(new JsonObject("{\"added\":17,\"size\":2}"));
    assertThat(list()).isEqualTo(new JsonObject("{\"items\":[42,17],\"size\":2,\"added\":2,\"removed\":0}"));

    assertThat(web.call(HttpMethod.DELETE, "/api/list/head", null).json())
        .isEqualTo(new JsonObject("{\"removed\":42,\"size\":1}"));
    web.call(HttpMethod.DELETE, "/api/list/head", null);
    Reply empty = web.call(HttpMethod.DELETE, "/api/list/head", null);
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.json()).isEqualTo(new JsonObject("{\"removed\":null,\"size\":0}"));
    assertThat(list()).isEqualTo(new JsonObject("{\"items\":[],\"size\":0,\"added\":2,\"removed\":2}"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"{\"value\": \"42\"}", "{\"value\": 1.5}", "{}", "{\"value\": null}", "\"42\"", "[1, 2]",
      "null", "", "{\"value\": 42", "{value: 42}", "4 2", "{\"value\": 99999999999999999999999}"})
  void badInputIs400AndChangesNothing(String body) {
    web.post("/api/list", "7");
    JsonObject before = list();
    Error error = assertError(web.post("/api/list", body), 400);
    assertThat(error.error()).doesNotContain("Source:", "\n");
    assertThat(list()).isEqualTo(before);
  }

  @Test
  void aBodyOverTheLimitIs413AndChangesNothing() {
    JsonObject before = list();
    String big = "{\"value\": 1, \"pad\": \"" + "x".repeat(70_000) + "\"}";
    Error error = assertError(web.post("/api/list", big), 413);
    assertThat(error.error()).contains("65536").contains("http.maxBodyBytes");
    assertThat(list()).isEqualTo(before);
  }

  @Test
  void aFullListIs409AndStaysAsItWas() {
    for (int i = 1; i <= 3; i++) {
      web.post("/api/list", String.valueOf(i));
    }
    JsonObject before = list();
    assertThat(assertError(web.post("/api/list", "4"), 409).error()).contains("full");
    assertThat(list()).isEqualTo(before);
  }

  @Test
  void aPostFromAnotherSiteIs403AndChangesNothing() {
    JsonObject before = list();
    assertError(web.call(HttpMethod.POST, "/api/list", "5", "Origin", "http://evil.example"), 403);
    assertError(web.call(HttpMethod.DELETE, "/api/list/head", null, "Origin", "null"), 403);
    assertThat(list()).isEqualTo(before);
    // the page itself sends its own origin
    Reply own = web.call(HttpMethod.POST, "/api/list", "5", "Origin", "http://127.0.0.1:" + web.port);
    assertThat(own.status()).isEqualTo(200);
  }

  @Test
  void unknownRoutesAndMethodsAreJsonErrors() {
    JsonObject before = list();
    assertThat(assertError(web.get("/api/nothing"), 404).error()).contains("GET /api/nothing");
    assertThat(assertError(web.call(HttpMethod.PUT, "/api/list", "1"), 405).error()).contains("PUT /api/list");
    assertError(web.call(HttpMethod.DELETE, "/api/list", null), 405);
    assertThat(list()).isEqualTo(before);
  }

  @Test
  void computesOneFactorialOnAWorkerThread() {
    Reply reply = web.get("/api/factorial/20");
    assertThat(reply.status()).isEqualTo(200);
    Result result = Result.fromJson(reply.json());
    assertThat(result.n()).isEqualTo(20);
    assertThat(result.value()).isEqualTo("2432902008176640000");
    assertThat(result.digits()).isEqualTo(19);
    assertThat(result.thread()).contains("worker");
  }

  @ParameterizedTest
  @CsvSource({"-1, must be 0 or more", "1001, at most 1000", "abc, is a string", "1.5, is a string",
      "99999999999999999999, at most 1000 (factorial.maxN), got 99999999999999999999"})
  void badFactorialInputIs400(String n, String message) {
    assertThat(assertError(web.get("/api/factorial/" + n), 400).error()).contains(message);
  }

  @Test
  void aBatchDefaultsToOneToTenEachWithItsThread() {
    Reply reply = web.call(HttpMethod.POST, "/api/factorial/batch", null);
    assertThat(reply.status()).isEqualTo(200);
    List<JsonObject> results = WebMessages.batchResults(reply.json());
    assertThat(results).hasSize(10).noneMatch(WebMessages::isFailure);
    assertThat(results.stream().map(Result::fromJson).map(Result::n)).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7,
        8, 9, 10);
    assertThat(results.stream().map(Result::fromJson)).allSatisfy(r -> assertThat(r.thread()).contains("worker"));
    assertThat(reply.json().getDouble("ms")).isPositive();
  }

  @Test
  void aBatchAnswersInCompletionOrder() {
    web.close();
    web = WebFixture.start(new VertxOptions(), WebFixture.config(), false, UnaryOperator.identity());
    // a stand-in worker that takes n ms for n, so the completion order is known
    web.vertx.eventBus().<Integer>consumer(Addresses.FACTORIAL_COMPUTE, m -> web.vertx.setTimer(m.body(),
        t -> m.reply(new Result(m.body(), "0", 1, m.body() * 1000L, "stand-in").toJson()))).completion().await();
    Reply reply = web.post("/api/factorial/batch", "{\"n\": [300, 20, 150]}");
    assertThat(WebMessages.batchResults(reply.json()).stream().map(Result::fromJson).map(Result::n))
        .containsExactly(20, 150, 300);
  }

  /**
   * A batch's reply is written as its results complete, and no more items are asked for while the client has not
   * read what was written: a client that stops reading holds a window of results in serve, not the whole reply. Here
   * 100 results of 300 KB (30 MB, far beyond the 4 MB the sockets can hold) for a client that reads nothing: serve
   * stops asking before the last, and asks for the rest once the client reads, which then gets every result.
   */
  @Test
  void aBatchWaitsForAClientThatStopsReadingAndFinishesOnceItReads() throws Exception {
    web.close();
    web = WebFixture.start(new VertxOptions(), WebFixture.config(), false, UnaryOperator.identity());
    String big = "7".repeat(300_000);
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    web.vertx.eventBus().<Object>consumer(Addresses.FACTORIAL_COMPUTE, m -> {
      asked.incrementAndGet();
      m.reply(new Result(((Number) m.body()).intValue(), big, big.length(), 1, "stand-in").toJson());
    }).completion().await();
    String body = "{\"n\": [" + IntStream.rangeClosed(1, 100).mapToObj(String::valueOf)
        .collect(Collectors.joining(",")) + "]}";
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), web.port));
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("POST /api/factorial/batch HTTP/1.1\r\nHost: 127.0.0.1:" + web.port
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
          + "\r\nConnection: close\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      // until serve has stopped asking (no new item for a second): before the last item, as the client reads nothing
      int seen = -1;
      long quietSince = System.nanoTime();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() - quietSince < 1_000_000_000L && System.nanoTime() < deadline) {
        int now = asked.get();
        if (now != seen) {
          seen = now;
          quietSince = System.nanoTime();
        }
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // polled: the absence of a request has no event
      }
      assertThat(asked.get()).as("items asked for while the client read nothing").isPositive().isLessThan(100);
      RawHttp.Response reply = RawHttp.Response.parse(socket.getInputStream().readAllBytes()); // closed at the end
      assertThat(reply.status()).isEqualTo(200);
      List<JsonObject> results = WebMessages.batchResults(reply.json());
      assertThat(results).hasSize(100).allSatisfy(r -> assertThat(r.getString("value")).hasSize(300_000));
      assertThat(results.stream().map(r -> r.getInteger("n")).distinct()).hasSize(100);
      assertThat(asked.get()).isEqualTo(100);
    }
  }

  @Test
  void aBatchReportsFailuresPerItem() {
    Reply reply = web.post("/api/factorial/batch", "{\"n\": [5, -1, \"x\", 1001]}");
    assertThat(reply.status()).isEqualTo(200);
    List<JsonObject> results = WebMessages.batchResults(reply.json());
    assertThat(results).hasSize(4);
    assertThat(results.stream().filter(r -> !WebMessages.isFailure(r)).map(Result::fromJson).map(Result::value))
        .containsExactly("120");
    assertThat(results.stream().filter(WebMessages::isFailure))
        .extracting(r -> r.getValue("n"), r -> r.getInteger("status"))
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(-1, 400),
            org.assertj.core.groups.Tuple.tuple("x", 400), org.assertj.core.groups.Tuple.tuple(1001, 400));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"n\": 5}", "{\"n\": []}", "[1, 2]", "{\"n\": [1,", "7"})
  void aBadBatchIs400(String body) {
    assertError(web.post("/api/factorial/batch", body), 400);
  }

  @Test
  void aBatchOfMoreThanTheLimitIs400() {
    String many = IntStream.rangeClosed(1, WebMessages.Batch.MAX_ITEMS + 1).mapToObj(String::valueOf)
        .collect(Collectors.joining(",", "{\"n\": [", "]}"));
    assertThat(assertError(web.post("/api/factorial/batch", many), 400).error()).contains("1 to 100");
  }

  @Test
  void clusterAndSquaresAnswer503WhileNobodyServesThem() {
    web.post("/api/list", "1");
    JsonObject before = list();
    assertThat(assertError(web.get("/api/cluster/members"), 503).error()).contains(Addresses.CLUSTER_MEMBERS);
    assertThat(assertError(web.post("/api/squares/runs", "{\"sizes\": [2]}"), 503).error())
        .contains(Addresses.SQUARES_START);
    assertThat(assertError(web.get("/api/squares/runs"), 503).error()).contains(Addresses.SQUARES_RUNS);
    assertError(web.get("/api/squares/runs/r-1"), 503);
    assertThat(list()).isEqualTo(before);
  }

  @Test
  void comparisonsAnswer503WhileNobodyServesThem() {
    assertThat(assertError(web.post("/api/compare/runs", "{}"), 503).error()).contains(Addresses.COMPARE_START);
    assertThat(assertError(web.get("/api/compare/latest"), 503).error()).contains(Addresses.COMPARE_LATEST);
    assertThat(assertError(web.call(io.vertx.core.http.HttpMethod.DELETE, "/api/compare/runs/current", null), 503).error()).contains(Addresses.COMPARE_CANCEL);
  }

  /** The real comparison handler: every request sent to it here is refused or reads, so none starts. */
  @Test
  void comparisonRoutesRelayToTheHandlerAndBadRequestsStartNothing() throws Exception {
    web.vertx.deployVerticle(new io.concurrencylab.compare.CompareVerticle(WebFixture.config()
        .with("data.dir", data.toString()))).await();
    JsonObject idle = new JsonObject().putNull("report").putNull("running").putNull("progress");
    assertThat(web.get("/api/compare/latest").json()).isEqualTo(idle);
    assertThat(web.call(io.vertx.core.http.HttpMethod.HEAD, "/api/compare/latest", null).status()).isEqualTo(200);
    assertThat(assertError(web.post("/api/compare/runs", "{\"tasks\": 65}"), 400).error())
        .isEqualTo("tasks must be at most 64, got 65");
    assertThat(assertError(web.post("/api/compare/runs", "{\"runs\": 1e400}"), 400).error()).contains("runs");
    assertThat(assertError(web.post("/api/compare/runs", "{\"nodes\": 1, \"nodes\": 2}"), 400).error())
        .contains("nodes");
    assertThat(assertError(web.post("/api/compare/runs", "{\"tasks\": 4"), 400).error()).isNotBlank();
    assertThat(assertError(web.call(io.vertx.core.http.HttpMethod.DELETE, "/api/compare/runs/current", null), 404).error()).isEqualTo("no comparison is going");
    assertError(web.call(io.vertx.core.http.HttpMethod.DELETE, "/api/compare/runs/current", "{}"), 400);
    assertThat(web.get("/api/compare/latest").json()).isEqualTo(idle);
  }

  private static final RunRecord RUN = new RunRecord("r-1", "2026-11-25T10:00:00Z", "2026-11-25T10:00:05Z",
      new RunRequest(List.of(2), 1, 10, 0), true, null,
      List.of(new SquaresMessages.SizeResult(2, 5, 900.0, 12.5, 300.0, 1212.5, 0, List.of(), List.of())),
      null, new JsonObject());

  /** The real squares handler, reading its history from a data folder holding {@link #RUN}. */
  private void squaresHandler() throws Exception {
    new io.concurrencylab.squares.RunHistory(data).append(RUN);
    web.vertx.deployVerticle(new io.concurrencylab.squares.SweepVerticle(WebFixture.config()
        .with("data.dir", data.toString()))).await();
  }

  @Test
  void badSweepRequestsAre400AndStartNothing() throws Exception {
    squaresHandler();
    assertThat(assertError(web.post("/api/squares/runs", "{\"sizes\": []}"), 400).error()).contains("sizes");
    assertThat(assertError(web.post("/api/squares/runs", "{\"sizes\": [0]}"), 400).error())
        .contains("cluster size must be between 1 and 8");
    assertThat(assertError(web.post("/api/squares/runs", "{\"from\": 5, \"to\": 1}"), 400).error())
        .contains("from must not be above to");
    assertThat(assertError(web.post("/api/squares/runs", "{\"chunk\": 0}"), 400).error()).contains("chunk");
    assertThat(assertError(web.post("/api/squares/runs", "{\"failAt\": 11}"), 400).error())
        .isEqualTo("failAt must be one of the numbers from 1 to 10, got 11");
    assertThat(assertError(web.post("/api/squares/runs", "{\"failAt\": \"7\"}"), 400).error()).contains("failAt");
    assertError(web.post("/api/squares/runs", "{\"sizes\": [2]"), 400);
    assertThat(assertError(web.post("/api/squares/runs", "{\"nodes\": \"pool\"}"), 400).error())
        .startsWith("nodes must be \"launch\"").endsWith("got \"pool\"");
    assertThat(assertError(web.post("/api/squares/runs", "{\"nodes\": \"cluster\", \"sizes\": []}"), 400).error())
        .contains("sizes");
    // over the cluster's nodes, on a serve that is in no cluster: refused, nothing runs
    assertThat(assertError(web.post("/api/squares/runs", "{\"nodes\": \"cluster\"}"), 409).error())
        .contains("needs a clustered serve");
    assertThat(SquaresMessages.runsFromJson(web.get("/api/squares/runs").json())).containsExactly(RUN);
  }

  /** A sweep going now has no record yet: its id says so, where the history alone said 404 "no squares run". */
  @Test
  void theSweepGoingNowIsFoundByItsIdAsRunning() throws Exception {
    JsonObject running = new JsonObject().put("run", "r-7").put("nodeId", "n-1").put("pid", 42).put("host", "h");
    web.vertx.eventBus().consumer(Addresses.SQUARES_RUNS, m -> m.reply(new JsonObject()
        .put("runs", new JsonArray().add(RUN.toJson())).put("running", running))).completion().await();
    assertThat(web.get("/api/squares/runs/r-7").json())
        .isEqualTo(new JsonObject().put("id", "r-7").put("status", "running").put("running", running));
    assertThat(RunRecord.fromJson(web.get("/api/squares/runs/r-1").json())).isEqualTo(RUN);
    assertThat(assertError(web.get("/api/squares/runs/r-8"), 404).error()).contains("r-8");
  }

  @Test
  void listsRunsAndFindsOneById() throws Exception {
    squaresHandler();
    Reply runs = web.get("/api/squares/runs");
    assertThat(runs.status()).isEqualTo(200);
    assertThat(SquaresMessages.runsFromJson(runs.json())).containsExactly(RUN);
    Reply one = web.get("/api/squares/runs/r-1");
    assertThat(one.status()).isEqualTo(200);
    assertThat(RunRecord.fromJson(one.json())).isEqualTo(RUN);
    assertThat(assertError(web.get("/api/squares/runs/r-404"), 404).error()).contains("r-404");
  }

  @Test
  void cancellingARunThatIsNotRunningIs409AndAnUnknownOne404() throws Exception {
    squaresHandler();
    var delete = io.vertx.core.http.HttpMethod.DELETE;
    assertThat(assertError(web.call(delete, "/api/squares/runs/r-1", null), 409).error())
        .isEqualTo("squares run r-1 is not running (it ended: done)");
    assertThat(assertError(web.call(delete, "/api/squares/runs/r-404", null), 404).error()).contains("r-404");
    assertError(web.call(delete, "/api/squares/runs/r-1", "{}"), 400);
    assertThat(web.get("/api/squares/runs").json().getValue("running")).isNull();
  }

  @Test
  void listsClusterMembersFromTheHandler() {
    JsonObject members = new JsonObject().put("members", new JsonArray().add(
        new io.concurrencylab.bus.ClusterMessages.Member("node-1", 42, "127.0.0.1", "app", 1000).toJson()));
    web.vertx.eventBus().consumer(Addresses.CLUSTER_MEMBERS, m -> m.reply(members)).completion().await();
    Reply reply = web.get("/api/cluster/members");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(members);
  }

  @Test
  void aHandlerThatDoesNotAnswerIs504() {
    web.close();
    web = WebFixture.start(new VertxOptions(), WebFixture.config().with("requestTimeoutMs", 300), true,
        UnaryOperator.identity());
    web.vertx.eventBus().consumer(Addresses.CLUSTER_MEMBERS, m -> { /* never answers */ }).completion().await();
    assertThat(assertError(web.get("/api/cluster/members"), 504).error()).startsWith("timeout");
  }

  @Test
  void aFactorialResultKeepsEveryDigit() {
    Reply reply = web.get("/api/factorial/1000");
    assertThat(Result.fromJson(reply.json()).digits()).isEqualTo(2568);
    assertThat(Result.fromJson(reply.json()).value()).hasSize(2568).startsWith("402387260077");
  }
}
