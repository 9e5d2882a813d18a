package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.WebMessages;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.testing.LogCapture;
import io.concurrencylab.web.RawHttp.Response;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP side against a page that is an attacker and a client that is careless or hostile: other sites cannot
 * drive the app (DNS rebinding included), no input causes a 500 or a warning in the log, the same input rules hold
 * on every route, and slow or idle connections are closed after their timeouts. Raw sockets: a well-behaved client
 * library would not send most of this.
 */
class HostileInputTest {
  @org.junit.jupiter.api.io.TempDir
  java.nio.file.Path data; // a handler's data folder, removed after each test
  private WebFixture web;
  private LogCapture log;

  @BeforeEach
  void start() {
    log = new LogCapture();
    web = start(WebFixture.config());
  }

  private static WebFixture start(LabConfig config) {
    return WebFixture.start(new VertxOptions(), config, true, UnaryOperator.identity());
  }

  @AfterEach
  void stop() {
    web.close();
    assertThat(log.warnings()).as("no client input leaves a warning or a stack trace in the log").isEmpty();
    log.close();
  }

  private Response send(String method, String path, String body, String... headers) throws Exception {
    return RawHttp.exchange(web.port, method, path, body, headers);
  }

  private static JsonObject assertJsonError(Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().get("content-type")).startsWith("application/json");
    JsonObject error = response.json();
    assertThat(error.getInteger("status")).isEqualTo(status);
    assertThat(error.getString("error")).isNotBlank();
    return error;
  }

  /** The real squares handler (a sweep would launch processes: every request sent to it here is refused). */
  private void squaresHandler() throws Exception {
    web.vertx.deployVerticle(new io.concurrencylab.squares.SweepVerticle(WebFixture.config()
        .with("data.dir", data.toString()))).await();
  }

  private JsonObject list() throws Exception {
    Response response = send("GET", "/api/list", null);
    assertThat(response.status()).isEqualTo(200);
    return response.json();
  }

  // 1. A web page the user visits cannot drive the app

  @Test
  void aDnsRebindingPageIsRefusedOnEveryRouteReadsIncluded() throws Exception {
    JsonObject before = list();
    String host = "Host: evil.example:" + web.port;
    String origin = "Origin: http://evil.example:" + web.port;
    assertThat(assertJsonError(send("POST", "/api/list", "5", host, origin), 403).getString("error"))
        .contains("evil.example").contains("http.allowedHosts");
    for (String path : List.of("/api/list", "/events", "/", "/index.html", "/api/factorial/10", "/health", "/metrics")) {
      assertJsonError(send("GET", path, null, host), 403);
    }
    assertJsonError(send("DELETE", "/api/list/head", null, host, origin), 403);
    assertJsonError(send("POST", "/api/squares/runs", "{\"sizes\": [8]}", host, origin), 403);
    assertJsonError(send("POST", "/api/compare/runs", "{}", host, origin), 403);
    assertJsonError(send("GET", "/api/list", null, "Host: 127.0.0.1:1"), 403); // the right name, another port
    assertThat(list()).isEqualTo(before);
  }

  @Test
  void theServersOwnNamesAndTheAllowedHostsAreServed() throws Exception {
    assertThat(send("GET", "/api/list", null, "Host: localhost:" + web.port).status()).isEqualTo(200);
    assertThat(send("GET", "/api/list", null, "Host: [::1]:" + web.port).status()).isEqualTo(200);
    web.close();
    web = start(WebFixture.config().with("http.allowedHosts", "lab.example, proxy.example:8443"));
    assertThat(send("GET", "/api/list", null, "Host: lab.example").status()).isEqualTo(200);
    assertThat(send("GET", "/api/list", null, "Host: proxy.example:8443").status()).isEqualTo(200);
    assertJsonError(send("GET", "/api/list", null, "Host: proxy.example:8444"), 403);
    assertJsonError(send("GET", "/api/list", null, "Host: other.example"), 403);
    // the page behind a TLS proxy: an https Origin of an allowed name is this site; of the bound address, never
    assertThat(send("POST", "/api/list", "5", "Host: lab.example", "Origin: https://lab.example").status())
        .isEqualTo(200);
    assertThat(send("POST", "/api/list", "6", "Host: proxy.example:8443", "Origin: https://proxy.example:8443")
        .status()).isEqualTo(200);
    assertThat(send("POST", "/api/list", "7", "Host: lab.example", "Origin: http://lab.example").status())
        .isEqualTo(200);
    assertJsonError(send("POST", "/api/list", "8", "Host: lab.example", "Origin: https://lab.example:444"), 403);
    assertJsonError(send("POST", "/api/list", "9", "Host: lab.example", "Origin: https://other.example"), 403);
    assertJsonError(send("POST", "/api/list", "9", "Host: 127.0.0.1:" + web.port,
        "Origin: https://127.0.0.1:" + web.port), 403);
  }

  /** HTTP/1.1 requires a Host; with none, or one that is no host and port, the router refuses it: a 400, not a 500. */
  @Test
  void aMissingOrMalformedHostIsA400() throws Exception {
    String good = "Host: 127.0.0.1:" + web.port + "\r\n";
    for (String hostLine : List.of("", "Host: 127.0.0.1:" + web.port + ":1\r\n", good + "Host: evil.example\r\n",
        "Host: evil.example\r\n" + good)) {
      try (RawHttp http = new RawHttp(web.port)) {
        http.send("GET /api/list HTTP/1.1\r\n" + hostLine + "Connection: close\r\n\r\n");
        assertThat(assertJsonError(http.response(), 400).getString("error")).as(hostLine).contains("Host");
      }
    }
    try (RawHttp http = new RawHttp(web.port)) { // one was sent: the router's "the 'Host' header is required" is wrong
      http.send("GET /api/list HTTP/1.1\r\nHost: 127.0.0.1:" + web.port + ".evil.com\r\nConnection: close\r\n\r\n");
      assertThat(assertJsonError(http.response(), 400).getString("error"))
          .startsWith("malformed Host header \"127.0.0.1:" + web.port + ".evil.com\"");
    }
    // a browser sends one Origin and one Sec-Fetch-Site: with two, which would count? Neither: a 400
    String host = "Host: 127.0.0.1:" + web.port;
    assertJsonError(send("POST", "/api/list", "5", host, "Origin: http://127.0.0.1:" + web.port,
        "Origin: http://evil.example"), 400);
    assertJsonError(send("POST", "/api/list", "5", host, "Sec-Fetch-Site: same-origin", "Sec-Fetch-Site: cross-site"),
        400);
    for (String target : List.of("http://evil.example/api/list", "http://127.0.0.1:" + web.port + "/api/list")) {
      try (RawHttp http = new RawHttp(web.port)) { // a proxy's form of request: its name would go unchecked
        http.send("GET " + target + " HTTP/1.1\r\n" + good + "Connection: close\r\n\r\n");
        assertThat(assertJsonError(http.response(), 400).getString("error")).as(target).contains("must be a path");
      }
    }
  }

  /** Another program on http.port: serve says which key and port (exit 2), not "Address already in use" alone. */
  @Test
  void aTakenPortNamesItsKey() throws Exception {
    assertThatThrownBy(() -> WebFixture.start(new io.vertx.core.VertxOptions(),
        WebFixture.config().with("http.port", web.port), false, java.util.function.UnaryOperator.identity()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("http.port " + web.port + " on 127.0.0.1: ").hasMessageContaining("--set http.port=N");
  }

  @Test
  void anotherSiteCannotMakeTheServerComputeOrChangeAnything() throws Exception {
    JsonObject before = list();
    for (String site : List.of("cross-site", "same-site")) {
      assertJsonError(send("GET", "/api/factorial/100", null, "Sec-Fetch-Site: " + site), 403);
      assertJsonError(send("POST", "/api/factorial/batch", null, "Sec-Fetch-Site: " + site), 403);
      assertJsonError(send("POST", "/api/list", "5", "Sec-Fetch-Site: " + site), 403);
      assertJsonError(send("GET", "/events", null, "Sec-Fetch-Site: " + site), 403);
      assertJsonError(send("POST", "/api/compare/runs", "{}", "Sec-Fetch-Site: " + site), 403);
      assertJsonError(send("DELETE", "/api/compare/runs/current", null, "Sec-Fetch-Site: " + site), 403);
    }
    assertJsonError(send("GET", "/api/factorial/100", null, "Origin: http://evil.example"), 403);
    assertJsonError(send("GET", "/api/factorial/100", null, "Origin: https://127.0.0.1:" + web.port), 403);
    assertJsonError(send("DELETE", "/api/list/head", null, "Origin: null"), 403);
    assertThat(list()).isEqualTo(before);

    // the page itself (same-origin), the address bar (none) and curl (neither header) are served
    assertThat(send("GET", "/api/factorial/10", null, "Sec-Fetch-Site: same-origin",
        "Origin: http://127.0.0.1:" + web.port).status()).isEqualTo(200);
    assertThat(send("GET", "/api/factorial/10", null, "Sec-Fetch-Site: none").status()).isEqualTo(200);
    assertThat(send("GET", "/api/factorial/10", null).status()).isEqualTo(200);
    assertThat(send("GET", "/", null, "Sec-Fetch-Site: cross-site").status()).as("the page itself may be linked")
        .isEqualTo(200);
  }

  // 4. No client input causes a 500; the same rules on every route

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {10, 2_100, 10_000, 60_000, 70_000})
  void formsAndOtherNonJsonBodiesOfAnySizeAre4xx(int size) throws Exception {
    JsonObject before = list();
    String form = "a=" + "x".repeat(size);
    for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=xx",
        "text/plain")) {
      Response response = send("POST", "/api/list", form, "Content-Type: " + type);
      assertJsonError(response, size > 65_000 ? 413 : 400);
    }
    assertThat(list()).isEqualTo(before);
  }

  @Test
  void numbersOutOfRangeOfAnyTypeAre400NeverTruncated() throws Exception {
    JsonObject before = list();
    for (String body : List.of("1e400", "-1e400", "99999999999999999999", "{\"value\": 1e400}",
        "{\"value\": -99999999999999999999}", "{\"value\": 1e19}")) {
      assertJsonError(send("POST", "/api/list", body), 400);
    }
    assertThat(list()).isEqualTo(before);
    assertThat(assertJsonError(send("POST", "/api/list", "-99999999999999999999"), 400).getString("error"))
        .as("quoted as given, not rounded through a Double").startsWith("integer out of range: -99999999999999999999 ");
    squaresHandler();
    assertThat(assertJsonError(send("GET", "/api/factorial/99999999999999999999", null), 400).getString("error"))
        .contains("at most 1000").contains("99999999999999999999");
    for (String body : List.of("{\"sizes\": [4294967298]}", "{\"sizes\": [-4294967295]}", "{\"sizes\": [1e400]}",
        "{\"from\": 1e400}", "{\"to\": 99999999999999999999}", "{\"chunk\": 1e400}", "{\"chunk\": 4294967297}")) {
      assertJsonError(send("POST", "/api/squares/runs", body), 400);
    }
    assertThat(assertJsonError(send("POST", "/api/squares/runs", "{\"from\": 1e400}"), 400).getString("error"))
        .as("quoted as given, not as the Infinity it reads as").isEqualTo("\"from\" is out of range: 1e400 "
            + "(beyond a double's range)");
    assertThat(assertJsonError(send("POST", "/api/list", "-1e400"), 400).getString("error"))
        .isEqualTo("number is out of range: -1e400 (beyond a double's range)");
    // a number beyond a double's range is refused at the door, the whole body (as the CLI and the bridge do)
    assertJsonError(send("POST", "/api/factorial/batch", "{\"n\": [1e400, 3]}"), 400);
    Response batch = send("POST", "/api/factorial/batch", "{\"n\": [1e19, -99999999999999999999, "
        + "99999999999999999999, 3]}");
    assertThat(batch.status()).isEqualTo(200);
    List<JsonObject> results = WebMessages.batchResults(batch.json());
    assertThat(results).filteredOn(WebMessages::isFailure).hasSize(3)
        .allSatisfy(r -> assertThat(r.getInteger("status")).isEqualTo(400));
  }

  @Test
  void deeplyNestedOrHugeInputIsNotEchoedBack() throws Exception {
    String nested = "[".repeat(900) + "]".repeat(900);
    String error = assertJsonError(send("POST", "/api/list", "{\"value\": " + nested + "}"), 400).getString("error");
    assertThat(error.length()).isLessThan(300);
    String huge = "\"" + "y".repeat(60_000) + "\"";
    assertThat(assertJsonError(send("POST", "/api/list", huge), 400).getString("error").length()).isLessThan(300);
    assertThat(assertJsonError(send("POST", "/api/list", "[".repeat(5000)), 400).getString("error").length())
        .isLessThan(300);
    Response batch = send("POST", "/api/factorial/batch", "{\"n\": [" + nested + ", " + huge + "]}");
    assertThat(batch.status()).isEqualTo(200);
    assertThat(batch.body().length()).as("the failed items are shown shortened").isLessThan(1_000);
  }

  /** An owner remembers 10,000 request ids with their answers: a frame-long id would cost it hundreds of MB. */
  @Test
  void aLongIdempotencyKeyIsRefusedNotCut() throws Exception {
    JsonObject before = list();
    assertThat(assertJsonError(send("POST", "/api/list", "5", "Idempotency-Key: " + "k".repeat(201)), 400)
        .getString("error")).isEqualTo("Idempotency-Key is 201 characters long, more than 200: give a shorter id");
    assertThat(assertJsonError(send("POST", "/api/list", "5", "Idempotency-Key: a1", "Idempotency-Key: a2"), 400)
        .getString("error")).isEqualTo("more than one Idempotency-Key header");
    assertThat(list()).as("nothing applied").isEqualTo(before);
    Response taken = send("POST", "/api/list", "5", "Idempotency-Key: " + "k".repeat(200));
    assertThat(taken.status()).as(taken.body()).isEqualTo(200);
  }

  /** A run id of any length is named shortened; a run of thousands of sizes is refused before it starts. */
  @Test
  void aLongRunIdIsNotEchoedAndThousandsOfSizesAreRefused() throws Exception {
    squaresHandler();
    String id = "a".repeat(3_000);
    assertThat(assertJsonError(send("GET", "/api/squares/runs/" + id, null), 404).getString("error").length())
        .isLessThan(100);
    assertThat(assertJsonError(send("DELETE", "/api/squares/runs/" + id, null), 404).getString("error").length())
        .isLessThan(100);
    String sizes = "{\"sizes\": [" + String.join(",", java.util.Collections.nCopies(5000, "1")) + "]}";
    assertThat(assertJsonError(send("POST", "/api/squares/runs", sizes), 400).getString("error"))
        .isEqualTo("at most 16 cluster sizes per run, got 5000");
    assertThat(send("GET", "/api/squares/runs", null).json().getValue("running")).as("nothing started").isNull();
  }

  @Test
  void duplicateKeysAndUnknownFieldsAreRefusedTheSameWayOnEveryRoute() throws Exception {
    squaresHandler();
    JsonObject before = list();
    for (String[] route : List.of(new String[] {"/api/list", "{\"value\": 1, \"value\": 2}"},
        new String[] {"/api/factorial/batch", "{\"n\": [1], \"n\": [2]}"},
        new String[] {"/api/squares/runs", "{\"sizes\": [1], \"sizes\": [2]}"})) {
      assertThat(assertJsonError(send("POST", route[0], route[1]), 400).getString("error"))
          .contains("Duplicate field");
    }
    for (String[] route : List.of(new String[] {"/api/list", "{\"value\": 1, \"x\": 2}"},
        new String[] {"/api/factorial/batch", "{\"n\": [1], \"x\": 2}"},
        new String[] {"/api/squares/runs", "{\"sizes\": [1], \"x\": 2}"})) {
      assertThat(assertJsonError(send("POST", route[0], route[1]), 400).getString("error")).contains("unknown field");
    }
    for (String body : List.of("// a comment\n42", "/* a comment */ 42", "{\"value\": 42 # a comment\n}")) {
      assertThat(assertJsonError(send("POST", "/api/list", body), 400).getString("error")).as(body)
          .startsWith("malformed JSON");
    }
    Response item = send("POST", "/api/factorial/batch", "{\"n\": [{\"n\": 3, \"x\": 1}]}");
    assertThat(WebMessages.batchResults(item.json()).get(0).getString("error")).contains("unknown field");
    assertThat(assertJsonError(send("DELETE", "/api/list/head", "1"), 400).getString("error")).contains("no body");
    for (String path : List.of("/api/list", "/api/factorial/5", "/api/list/owner", "/api/squares/runs")) {
      assertThat(assertJsonError(send("GET", path, "garbage"), 400).getString("error")).as(path)
          .isEqualTo("GET " + path + " takes no body");
    }
    for (String path : List.of("/healthz", "/health/list-owner")) { // one health route, JSON errors
      assertJsonError(send("GET", path, null), 404);
    }
    assertThat(list()).isEqualTo(before);
  }

  @Test
  void headWorksOnEveryGetRoute() throws Exception {
    for (String path : List.of("/api/list", "/api/factorial/5", "/health", "/metrics", "/", "/app.js", "/events")) {
      Response head = send("HEAD", path, null);
      assertThat(head.status()).as(path).isEqualTo(200);
      assertThat(head.body()).as(path).isEmpty();
    }
    // the status a GET would get: a bad parameter is a 400 for HEAD too
    for (String path : List.of("/events?wiretap=bad", "/api/factorial/x")) {
      assertThat(send("HEAD", path, null).status()).as(path).isEqualTo(send("GET", path, null).status())
          .isEqualTo(400);
    }
  }

  @Test
  void anUnknownPathIs404WhateverTheMethodAndAWrongMethodOnAKnownOneIs405() throws Exception {
    for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
      assertJsonError(send(method, "/nope", "1"), 404);
      assertJsonError(send(method, "/api/nope", "1"), 404);
    }
    assertJsonError(send("PUT", "/api/list", "1"), 405);
    assertJsonError(send("POST", "/events", null), 405);
    // a POST-only path is not read as another route's parameter (GET /api/factorial/:n), and the page's files exist
    assertThat(assertJsonError(send("GET", "/api/factorial/batch", null), 405).getString("error"))
        .endsWith(": GET /api/factorial/batch");
    for (String page : List.of("/", "/index.html", "/app.js")) {
      assertJsonError(send("POST", page, "1"), 405);
    }
  }

  /**
   * A path with a malformed percent-escape cannot be decoded to route it: a 400 that says so, on every route, from
   * any site, and nothing in the log (it was a 500 and a warning quoting the raw path, bytes and all).
   */
  @Test
  void aPathThatCannotBeDecodedIsA400() throws Exception {
    for (String path : List.of("/%zz", "/%", "/%2", "/api/%zz", "/api/list/%zz", "/api/factorial/%zz",
        "/api/squares/runs/%zz", "/api/cluster/nodes/%zz", "/%zz\u001b[31mRED")) {
      for (String method : List.of("GET", "DELETE", "POST")) {
        JsonObject error = assertJsonError(send(method, path, method.equals("POST") ? "1" : null), 400);
        assertThat(error.getString("error")).as(path).startsWith("malformed path: ").doesNotContain("\u001b");
      }
    }
    assertJsonError(send("GET", "/api/%zz", null, "Origin: http://evil.example", "Sec-Fetch-Site: cross-site"), 400);
  }

  @Test
  void requestsVertxCannotParseGetJsonErrorsToo() throws Exception {
    assertJsonError(send("GET", "/api/list", null, "X-Big: " + "h".repeat(10_000)), 431);
    assertJsonError(send("GET", "/" + "u".repeat(5_000), null), 414);
    try (RawHttp http = new RawHttp(web.port)) {
      http.send("GARBAGE\r\n\r\n");
      assertJsonError(http.response(), 400);
    }
  }

  @Test
  void connectionsThatTrickleOrSitIdleAreClosedAfterTheirTimeouts() throws Exception {
    web.close();
    // the idle timeout above the body's, or it could close a connection before its 408 is written
    web = start(WebFixture.config().with("http.headerTimeoutMs", 300).with("http.bodyTimeoutMs", 300)
        .with("http.idleTimeoutMs", 900));
    try (RawHttp http = new RawHttp(web.port)) { // headers, cut off
      http.send("GET /api/list HTTP/1.1\r\nHo");
      assertThat(http.readUntilClosed()).isEmpty();
    }
    try (RawHttp http = new RawHttp(web.port)) { // a body, cut off
      http.send("POST /api/list HTTP/1.1\r\nHost: 127.0.0.1:" + web.port + "\r\nContent-Length: 10\r\n\r\n12");
      assertThat(assertJsonError(http.response(), 408).getString("error")).contains("http.bodyTimeoutMs");
    }
    try (RawHttp http = new RawHttp(web.port)) { // a whole request, then nothing
      http.send("GET /api/list HTTP/1.1\r\nHost: 127.0.0.1:" + web.port + "\r\n\r\n");
      assertThat(http.response().status()).isEqualTo(200); // read until the server closed it
    }
    web.close();
    web = start(WebFixture.config().with("http.bodyTimeoutMs", 300));
    try (RawHttp http = new RawHttp(web.port)) { // closed right after the 408: the idle timeout (60 s) is not needed
      http.send("POST /api/list HTTP/1.1\r\nHost: 127.0.0.1:" + web.port + "\r\nContent-Length: 10\r\n\r\n12");
      assertJsonError(http.response(), 408); // reads until closed, failing after RawHttp's 10 s read timeout
    }
  }

  /**
   * The header timeout alone closes a connection that never finishes its headers: the idle timeout here is longer
   * than RawHttp's read timeout (10 s), so a connection closed by it would fail the read. A client that sends a byte
   * now and then is never idle, which is what the header timeout is for.
   */
  @Test
  void aConnectionThatNeverFinishesItsHeadersIsClosedByTheHeaderTimeout() throws Exception {
    web.close();
    web = start(WebFixture.config().with("http.headerTimeoutMs", 300).with("http.idleTimeoutMs", 60_000));
    try (RawHttp http = new RawHttp(web.port)) { // nothing at all
      assertThat(http.readUntilClosed()).isEmpty();
    }
    try (RawHttp http = new RawHttp(web.port)) { // a request line and a header, never the blank line
      http.send("GET /api/list HTTP/1.1\r\nHost: 127.0.0.1:" + web.port + "\r\n");
      assertThat(http.readUntilClosed()).isEmpty();
    }
  }

  @Test
  void eventStreamsAreBounded() throws Exception {
    web.close();
    web = start(WebFixture.config().with("http.maxEventStreams", 1));
    try (RawHttp first = new RawHttp(web.port)) {
      first.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + web.port + "\r\n\r\n");
      byte[] head = first.socket.getInputStream().readNBytes(12);
      assertThat(new String(head)).isEqualTo("HTTP/1.1 200");
      assertThat(assertJsonError(send("GET", "/events", null), 503).getString("error"))
          .contains("http.maxEventStreams");
    }
  }
}
