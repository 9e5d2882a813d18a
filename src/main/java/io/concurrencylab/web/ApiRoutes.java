package io.concurrencylab.web;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.WebMessages;
import io.concurrencylab.bus.WebMessages.Batch;
import io.concurrencylab.bus.WebMessages.BatchFailure;
import io.concurrencylab.bus.WebMessages.Error;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The JSON API. Each route is one event-bus request on a public contract address, the body passed on as it came;
 * the recipient validates it, and a failure goes to {@link ErrorHandler}. No route takes an address from the
 * request, so nothing here can reach an internal address.
 */
final class ApiRoutes {
  private final Vertx vertx;
  private final DeliveryOptions options;
  private final long maxBodyBytes;
  private final BiConsumer<String, Throwable> onFailure;

  /** {@code onFailure} hears of requests that failed without a failure reply (no handler, timeout): the wiretap. */
  ApiRoutes(Vertx vertx, long timeoutMs, long maxBodyBytes, BiConsumer<String, Throwable> onFailure) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.maxBodyBytes = maxBodyBytes;
    this.onFailure = onFailure;
  }

  void mount(Router router) {
    // Only the methods that change state take a body and must come from this page (or from no page at all).
    router.route("/api/*").method(HttpMethod.POST).method(HttpMethod.DELETE)
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(SameOrigin::check);
    router.get("/api/list").handler(ctx -> relay(ctx, Addresses.LIST_SNAPSHOT, null, 200));
    router.post("/api/list").handler(ctx -> relay(ctx, Addresses.LIST_ADD, json(ctx), 200));
    router.delete("/api/list/head").handler(ctx -> relay(ctx, Addresses.LIST_REMOVE, null, 200));
    router.post("/api/factorial/batch").handler(this::batch);
    router.get("/api/factorial/:n").handler(ctx -> relay(ctx, Addresses.FACTORIAL_COMPUTE, number(ctx.pathParam("n")), 200));
    router.get("/api/cluster/members").handler(ctx -> relay(ctx, Addresses.CLUSTER_MEMBERS, null, 200));
    router.post("/api/squares/runs").handler(ctx -> relay(ctx, Addresses.SQUARES_START, json(ctx), 202));
    router.get("/api/squares/runs").handler(ctx -> relay(ctx, Addresses.SQUARES_RUNS, null, 200));
    router.get("/api/squares/runs/:id").handler(this::run);
  }

  private Future<Message<Object>> request(String address, Object body) {
    return vertx.eventBus().request(address, body, options).onFailure(e -> onFailure.accept(address, e));
  }

  private void relay(RoutingContext ctx, String address, Object body, int status) {
    request(address, body).onComplete(reply -> {
      ctx.response().setStatusCode(status);
      ctx.json(reply.body());
    }, ctx::fail);
  }

  /** Factorials of several n at once, answered in the order they completed, each with its thread or its error. */
  private void batch(RoutingContext ctx) {
    Batch batch = Batch.fromBody(json(ctx));
    long start = System.nanoTime();
    List<JsonObject> results = new ArrayList<>(); // replies come back on this verticle's event loop, one at a time
    List<Future<?>> all = new ArrayList<>();
    for (Object n : batch.items()) {
      all.add(request(Addresses.FACTORIAL_COMPUTE, n).andThen(ar -> results.add(ar.succeeded()
          ? (JsonObject) ar.result().body() : failure(n, ar.cause()))));
    }
    Future.join(all).onComplete(done -> ctx.json(WebMessages.batchReply(results, (System.nanoTime() - start) / 1e6)));
  }

  private static JsonObject failure(Object n, Throwable e) {
    Error error = ErrorHandler.map(e, -1);
    return new BatchFailure(n, error.status(), error.error()).toJson();
  }

  /** One run record; the history is the squares handler's, so an unknown id is a 404 here. */
  private void run(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    request(Addresses.SQUARES_RUNS, null)
        .map(reply -> SquaresMessages.runsFromJson((JsonObject) reply.body()).stream().filter(r -> id.equals(r.id()))
            .findFirst().orElseThrow(() -> new LabException(Failures.NOT_FOUND, "no squares run " + id)))
        .onSuccess(record -> ctx.json(record.toJson())).onFailure(ctx::fail);
  }

  /** The request body as JSON (a number, an object, ...), null when empty; malformed JSON is a 400. */
  private static Object json(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.toString().isBlank()) {
      return null;
    }
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      // Jackson's message, without where it read from (always the request body) and the long location suffix
      String detail = String.valueOf(e.getMessage()).replaceFirst("(?s)\\s*(\\(start marker )?(at )?\\[Source.*$", "");
      throw LabException.badInput("malformed JSON: " + detail);
    }
  }

  /** A path segment as a number when it is one; otherwise as given, so the recipient says what is wrong with it. */
  private static Object number(String segment) {
    try {
      return Long.parseLong(segment);
    } catch (NumberFormatException e) {
      return segment;
    }
  }
}
