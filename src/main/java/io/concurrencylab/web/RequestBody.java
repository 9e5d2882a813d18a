package io.concurrencylab.web;

import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.StrictJson;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body for the API, within bounds: at most {@code http.maxBodyBytes} (413 as soon as it is over,
 * by its Content-Length or by what arrived), complete within {@code http.bodyTimeoutMs} (408: a body trickled in a
 * byte at a time does not hold a connection open). Every body is read as JSON, whatever its Content-Type: there is
 * no form or multipart decoding to go wrong (vertx-web's BodyHandler decodes forms, and a form field over its own
 * limit was a 500). A failure closes the connection, since the rest of the body was not read.
 */
final class RequestBody implements Handler<RoutingContext> {
  private static final String KEY = RequestBody.class.getName();
  private final Vertx vertx;
  private final long maxBytes;
  private final long timeoutMs;

  RequestBody(Vertx vertx, long maxBytes, long timeoutMs) {
    this.vertx = vertx;
    this.maxBytes = maxBytes;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && declared.length() > 18 || declared != null && parse(declared) > maxBytes) {
      fail(ctx, 413, null);
      return;
    }
    if (request.isEnded()) {
      ctx.put(KEY, Buffer.buffer());
      ctx.next();
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    long timer = vertx.setTimer(timeoutMs, id -> {
      over[0] = true;
      fail(ctx, 408, "request body not complete within " + timeoutMs + " ms (http.bodyTimeoutMs)");
    });
    request.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (body.length() + (long) chunk.length() > maxBytes) {
        over[0] = true;
        vertx.cancelTimer(timer);
        fail(ctx, 413, null);
        return;
      }
      body.appendBuffer(chunk);
    }).endHandler(v -> {
      if (!over[0]) {
        vertx.cancelTimer(timer);
        ctx.put(KEY, body);
        ctx.next();
      }
    }).resume();
  }

  /**
   * The body read by this handler as JSON (a number, an object, ...), null when there is none.
   *
   * @throws LabException 400 when it is not JSON (or has a duplicate key, or anything after the value)
   */
  static Object json(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    if (body == null || body.toString().isBlank()) {
      return null;
    }
    return Bodies.sendable(StrictJson.decode(body));
  }

  /** Whether a body came with the request (routes that take none refuse one). */
  static boolean present(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body != null && body.length() > 0;
  }

  private static void fail(RoutingContext ctx, int status, String message) {
    if (!ctx.response().headWritten()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    // the rest of the body was not read: the connection cannot carry another request (Vert.x would keep it open)
    ctx.addEndHandler(done -> ctx.request().connection().close());
    ctx.fail(message == null ? new LabException(status, "") : new LabException(status, message));
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1; // Vert.x has already refused a malformed Content-Length before routing
    }
  }
}
