package io.concurrencylab.web;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.ListMessages;
import io.concurrencylab.bus.OwnerRequests;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.WebMessages;
import io.concurrencylab.bus.WebMessages.Batch;
import io.concurrencylab.bus.WebMessages.BatchFailure;
import io.concurrencylab.bus.WebMessages.Error;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Route;
import java.util.Iterator;
import java.util.function.BiConsumer;

/**
 * The JSON API. Each route is one event-bus request on a public contract address, the body passed on as it came;
 * the recipient validates it, and a failure goes to {@link ErrorHandler}. No route takes an address from the
 * request, so nothing here can reach an internal address.
 */
final class ApiRoutes {
  private final Vertx vertx;
  private final DeliveryOptions options;
  /** For the services every serve runs itself: answered here, never by another (maybe dead) serve. */
  private final DeliveryOptions local;
  private final long holdMs;
  private final RequestBody body;
  private final int batchWindow;
  private final BiConsumer<String, Throwable> onFailure;

  /**
   * @param batchWindow how many items of a factorial batch are in flight at once (the service's own bound,
   *     {@code factorial.maxInFlight}, so one batch alone never trips it)
   * @param onFailure hears of requests that failed without a failure reply (no handler, timeout): the wiretap
   */
  ApiRoutes(Vertx vertx, long timeoutMs, long holdMs, RequestBody body, int batchWindow,
      BiConsumer<String, Throwable> onFailure) {
    this.vertx = vertx;
    this.holdMs = holdMs;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.local = new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(true);
    this.body = body;
    this.batchWindow = batchWindow;
    this.onFailure = onFailure;
  }

  void mount(Router router) {
    // Bodies are read (bounded) whatever the method (a route restricted to some would turn an unknown path into a
    // 405 for the others); a route that takes no body refuses one.
    router.route("/api/*").handler(body);
    get(router, "/api/list").handler(ctx -> relay(ctx, Addresses.LIST_SNAPSHOT, null, 200));
    get(router, "/api/list/owner").handler(ctx -> relay(ctx, Addresses.LIST_OWNER, null, 200));
    router.post("/api/list").handler(ctx -> relay(ctx, Addresses.LIST_ADD, RequestBody.json(ctx), 200));
    router.delete("/api/list/head").handler(ctx -> relay(ctx, Addresses.LIST_REMOVE, noBody(ctx), 200));
    router.post("/api/factorial/batch").handler(this::batch);
    router.route("/api/factorial/batch").handler(ctx -> ctx.fail(405)); // not read as GET /api/factorial/:n
    get(router, "/api/factorial/:n").handler(ctx -> relay(ctx, Addresses.FACTORIAL_COMPUTE,
        io.concurrencylab.bus.FactorialMessages.Request.fromText(ctx.pathParam("n")), 200));
    get(router, "/api/cluster/members").handler(ctx -> relay(ctx, Addresses.CLUSTER_MEMBERS, null, 200));
    // the node processes this serve sees (its own, lab cluster start's, its sweeps'); add and stop its own; logs
    get(router, "/api/cluster/nodes").handler(ctx -> relay(ctx, Addresses.NODES_LIST, null, 200));
    router.post("/api/cluster/nodes").handler(ctx -> relay(ctx, Addresses.NODES_ADD, RequestBody.json(ctx), 202));
    router.delete("/api/cluster/nodes/:node").handler(ctx -> relay(ctx, Addresses.NODES_STOP,
        noBody(ctx) == null ? new JsonObject().put("node", ctx.pathParam("node")) : null, 200));
    get(router, "/api/cluster/nodes/:node/log").handler(this::nodeLog);
    router.post("/api/squares/runs").handler(ctx -> relay(ctx, Addresses.SQUARES_START, RequestBody.json(ctx), 202));
    get(router, "/api/squares/runs").handler(ctx -> relay(ctx, Addresses.SQUARES_RUNS, null, 200));
    get(router, "/api/squares/runs/:id").handler(this::run);
    // cancel a running sweep: answered with its record once its nodes are stopped (404 unknown, 409 not running)
    router.delete("/api/squares/runs/:id").handler(ctx -> relay(ctx, Addresses.SQUARES_CANCEL,
        noBody(ctx) == null ? new SquaresMessages.Cancel(ctx.pathParam("id")).toJson() : null, 200));
    // Q1 measured (compare.CompareVerticle, in this serve): start one (202 and its run id), cancel it, the latest
    router.post("/api/compare/runs").handler(ctx -> relay(ctx, Addresses.COMPARE_START, RequestBody.json(ctx), 202));
    router.delete("/api/compare/runs/current").handler(ctx -> relay(ctx, Addresses.COMPARE_CANCEL, noBody(ctx), 200));
    get(router, "/api/compare/latest").handler(ctx -> relay(ctx, Addresses.COMPARE_LATEST, null, 200));
  }

  /**
   * A GET route that answers HEAD too (Vert.x then sends the headers only). Under /api/, where bodies are read, a
   * body is refused (400), as on every route that takes none: it would be ignored otherwise.
   */
  static Route get(Router router, String path) {
    Route route = router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
    return path.startsWith("/api/") ? route.handler(ctx -> {
      noBody(ctx);
      ctx.next();
    }) : route;
  }

  private static Object noBody(RoutingContext ctx) {
    if (RequestBody.present(ctx)) {
      throw LabException.badInput(ctx.request().method() + " " + ctx.request().path() + " takes no body");
    }
    return null;
  }

  private Future<Message<Object>> request(String address, Object body) {
    return vertx.eventBus().request(address, body, Addresses.servedLocally(address) ? local : options)
        .onFailure(e -> onFailure.accept(address, e));
  }

  /** Who sent it, for the wiretap: the status page's own id when it gave a well-formed one, else "http". */
  private static String origin(RoutingContext ctx) {
    String client = ctx.request().getHeader(WebMessages.CLIENT_HEADER);
    return client != null && client.matches("page-[a-z0-9]{1,16}") ? client : "http";
  }

  private Future<Message<Object>> request(RoutingContext ctx, String address, Object body) {
    DeliveryOptions tagged = new DeliveryOptions(Addresses.servedLocally(address) ? local : options)
        .addHeader(WebMessages.ORIGIN, origin(ctx));
    return vertx.eventBus().request(address, body, tagged).onFailure(e -> onFailure.accept(address, e));
  }

  /**
   * The list's owner may be another serve, and may be failing over: its requests are held and sent again (with the
   * client's {@code Idempotency-Key} as request id, when it gave one) for up to {@code list.failoverHoldMs}.
   */
  private Future<Message<Object>> relayed(RoutingContext ctx, String address, Object body) {
    if (!Addresses.LIST_REQUESTS.contains(address)) {
      return request(ctx, address, body);
    }
    DeliveryOptions withId = new DeliveryOptions().addHeader(WebMessages.ORIGIN, origin(ctx));
    if (ctx.request().headers().getAll("Idempotency-Key").size() > 1) { // which one names the request?
      throw LabException.badInput("more than one Idempotency-Key header");
    }
    String key = ListMessages.requestId(ctx.request().getHeader("Idempotency-Key"), "Idempotency-Key");
    if (key != null) {
      withId.addHeader(ListMessages.REQUEST_ID, key);
    }
    return OwnerRequests.<Object>request(vertx, address, body, withId, Math.min(holdMs, options.getSendTimeout()))
        .onFailure(e -> onFailure.accept(address, e));
  }

  private void relay(RoutingContext ctx, String address, Object body, int status) {
    relayed(ctx, address, body).onComplete(reply -> {
      ctx.response().setStatusCode(status);
      ctx.json(reply.body());
    }, ctx::fail);
  }

  /**
   * Factorials of several n at once (at most {@code batchWindow} in flight), answered in the order they completed,
   * each with its thread or its error.
   */
  private void batch(RoutingContext ctx) {
    Batch batch = Batch.fromBody(RequestBody.json(ctx));
    new BatchReply(ctx, batch.items().iterator(), batch.items().size()).submit();
  }

  /**
   * A batch's reply, written result by result as they complete (WebMessages.BATCH_REPLY_START). At most
   * {@code batchWindow} items are in flight, and none is submitted while the client has not read what was written
   * (the response's write queue is full): a batch of large factorials for a client that stops reading holds a
   * window of results in serve, not the whole reply (45 MB for a hundred of n = 100,000). Replies come back on
   * this verticle's event loop, so the counts need no lock.
   */
  private final class BatchReply {
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final Iterator<Object> next;
    private final int total;
    private final long start = System.nanoTime();
    private int inFlight;
    private int written;
    private boolean ended;

    BatchReply(RoutingContext ctx, Iterator<Object> next, int total) {
      this.ctx = ctx;
      this.response = ctx.response();
      this.next = next;
      this.total = total;
      response.setChunked(true).putHeader("Content-Type", "application/json; charset=utf-8").write(WebMessages.BATCH_REPLY_START);
      response.drainHandler(v -> submit());
    }

    void submit() {
      while (inFlight < batchWindow && next.hasNext() && !response.writeQueueFull() && !response.closed()) {
        Object n = next.next();
        inFlight++;
        request(ctx, Addresses.FACTORIAL_COMPUTE, n).onComplete(ar -> written(ar.succeeded()
            ? (JsonObject) ar.result().body() : failure(n, ar.cause())));
      }
      if (total == 0) {
        end();
      }
    }

    private void written(JsonObject result) {
      inFlight--;
      if (response.closed()) {
        return; // the client went: nothing more is submitted
      }
      response.write((written++ == 0 ? "" : ",") + result.encode());
      if (written == total) {
        end();
      } else {
        submit();
      }
    }

    private void end() {
      if (ended) {
        return;
      }
      ended = true;
      response.end(WebMessages.batchReplyEnd((System.nanoTime() - start) / 1e6));
    }
  }

  /** A failed item as it was given (shortened when long: its error must not echo hostile input back whole). */
  private static JsonObject failure(Object n, Throwable e) {
    Error error = ErrorHandler.map(e, -1);
    Object shown = n instanceof Integer || n instanceof Long ? n : n instanceof String s ? Bodies.cut(s, 40)
        : Bodies.show(n);
    JsonObject json = new BatchFailure(shown, error.status(), error.error()).toJson();
    return error.remote() == null ? json : json.put("remote", error.remote());
  }

  /**
   * A node's log as text: its last {@code cluster.nodeLogTailKiB}. The path segment is only a key into the serve's
   * table of nodes ({@code lab.nodes.log} checks its characters); the file is the one the serve knows for it.
   */
  private void nodeLog(RoutingContext ctx) {
    noBody(ctx);
    request(ctx, Addresses.NODES_LOG, new JsonObject().put("node", ctx.pathParam("node"))).onSuccess(reply -> {
      JsonObject tail = (JsonObject) reply.body();
      ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
          .putHeader("X-Log-Bytes", String.valueOf(tail.getLong("bytes")))
          .putHeader("X-Log-Truncated", String.valueOf(tail.getBoolean("truncated")))
          .end(tail.getBoolean("truncated") ? "[the last " + tail.getString("text").length() + " characters of "
              + tail.getLong("bytes") + " bytes of " + tail.getString("file") + "]\n" + tail.getString("text")
              : tail.getString("text"));
    }).onFailure(ctx::fail);
  }

  /** One run record; the history is the squares handler's, so an unknown id is a 404 here. */
  private void run(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    request(Addresses.SQUARES_RUNS, null)
        .map(reply -> {
          JsonObject runs = (JsonObject) reply.body();
          JsonObject running = runs.getJsonObject("running");
          if (running != null && id.equals(running.getString("run"))) { // its record comes when it ends
            return new JsonObject().put("id", id).put("status", "running").put("running", running);
          }
          return SquaresMessages.runsFromJson(runs).stream().filter(r -> id.equals(r.id())).findFirst()
              .orElseThrow(() -> new LabException(Failures.NOT_FOUND, "no squares run " + Bodies.show(id)))
              .toJson();
        })
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
