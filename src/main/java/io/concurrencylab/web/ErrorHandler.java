package io.concurrencylab.web;

import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.WebMessages.Error;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP status and a JSON body {@code {"error": ..., "status": ...}}. The
 * router sends it every failed route, and every request no route matched (404) or allowed (405).
 *
 * <p>An event-bus failure maps by its {@code ReplyFailure} first: a recipient's code is already HTTP-aligned (400,
 * 404, 409, ...; see {@code bus.Failures}); no handler means the service is not there (503); no reply in time is a
 * gateway timeout (504).
 */
final class ErrorHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
  private final long maxBodyBytes;

  ErrorHandler(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** How the router (vertx-web 5.0.7) refuses a request whose Host it cannot parse, as if none had been sent. */
  private static final String ROUTER_NO_HOST = "For HTTP/1.x requests, the 'Host' header is required";

  /** The statuses the router itself may produce without a failure: each gets a JSON body here. */
  static final List<Integer> STATUSES = List.of(400, 403, 404, 405, 406, 408, 413, 414, 415, 431, 500, 501, 503);

  @Override
  public void handle(RoutingContext ctx) {
    Error error = map(ctx.failure(), ctx.statusCode());
    String host = ctx.request().getHeader("Host");
    if (error.status() == 400 && host != null && ctx.failure() != null
        && String.valueOf(ctx.failure().getMessage()).startsWith(ROUTER_NO_HOST)) {
      // the router's words for a Host it could not parse, though one was sent
      error = new Error(400, "malformed Host header " + io.concurrencylab.bus.Bodies.show(host)
          + ": expected a host name or address, and a port");
    }
    if (error.status() == 405 && ctx.failure() == null && !known(ctx.request().path())
        && !page(ctx.normalizedPath())) {
      error = new Error(404, "not found"); // only the page's route matched, by path alone: the path is unknown
    }
    if (error.status() == 413) {
      error = new Error(413, "request body over " + maxBodyBytes + " bytes (http.maxBodyBytes)");
    } else if ((error.status() == 404 || error.status() == 405) && ctx.failure() == null) {
      error = new Error(error.status(), error.error() + ": " + ctx.request().method() + " " + ctx.request().path());
    }
    if (error.status() == 500 && error.remote() == null) { // a failure with a remote origin was logged where it ran
      // the path as a JSON string, cut: a client's bytes (escape sequences, megabytes) are not written as they came
      log.warn("{} {} failed", ctx.request().method(),
          io.concurrencylab.bus.Bodies.cut(io.vertx.core.json.Json.encode(ctx.request().path()), 200), ctx.failure());
    }
    if (ctx.response().headWritten()) { // e.g. a stream already under way: all we can do is cut it
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(error.toJson().encode());
  }

  /** A file of the page (the static handler's webroot): a POST there is a 405 too, as it is for / . */
  private static boolean page(String path) {
    return path != null && (path.equals("/") || !path.endsWith("/") && !path.contains("..")
        && ErrorHandler.class.getClassLoader().getResource("webroot" + path) != null);
  }

  /** Paths of routes other than the page's: a wrong method there is a 405. */
  private static boolean known(String path) {
    return path != null && (path.startsWith("/api/") || path.equals("/events") || path.equals("/metrics")
        || path.equals("/health") || path.equals("/health/"));
  }

  /**
   * For {@code HttpServer.invalidRequestHandler}: a request Vert.x could not even parse (a line or headers too
   * long, a malformed request line) gets a JSON error too, and the connection is closed, as Vert.x does.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Error error = cause instanceof TooLongHttpLineException ? new Error(414, "request line too long")
        : cause instanceof TooLongHttpHeaderException ? new Error(431, "request headers too large")
        : new Error(400, "malformed HTTP request");
    request.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Connection", "close").end(error.toJson().encode());
    request.connection().close();
  }

  /** The status and message for {@code failure}; {@code statusCode} is the router's when there is no throwable. */
  static Error map(Throwable failure, int statusCode) {
    if (failure instanceof io.concurrencylab.bus.RemoteFailure remote) {
      return new Error(httpStatus(remote.failureCode()), remote.getMessage(), remote.origin());
    }
    if (failure instanceof ReplyException re) {
      return switch (re.failureType()) {
        case RECIPIENT_FAILURE -> new Error(httpStatus(re.failureCode()), re.getMessage());
        case NO_HANDLERS -> new Error(503, "not available: " + re.getMessage().replace("No handlers", "no handler"));
        case TIMEOUT -> new Error(504, "timeout: " + re.getMessage());
        case ERROR -> new Error(500, "event bus error: " + re.getMessage());
      };
    }
    if (failure instanceof LabException lab) {
      return new Error(httpStatus(lab.code()), lab.getMessage());
    }
    if (failure instanceof HttpException http) {
      return new Error(http.getStatusCode(), http.getPayload() != null ? http.getPayload() : reason(http.getStatusCode()));
    }
    if (failure == null) {
      int status = statusCode >= 400 ? statusCode : 500;
      return new Error(status, reason(status));
    }
    if (statusCode >= 400 && statusCode < 500) { // the router refused the request itself (e.g. HTTP/1.1 with no Host)
      return new Error(statusCode, failure.getMessage() != null ? failure.getMessage() : reason(statusCode));
    }
    return new Error(500, "unexpected: " + failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
  }

  /** A recipient code outside the HTTP error range (a handler that used its own codes) is a 500, message kept. */
  private static int httpStatus(int code) {
    return code >= 400 && code <= 599 ? code : 500;
  }

  private static String reason(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase();
  }
}
