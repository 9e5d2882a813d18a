package io.concurrencylab.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Closes connections that hold the server without using it. Vert.x's idle timeout ({@code http.idleTimeoutMs})
 * closes a connection on which nothing moves; but a client that sends its request headers a byte every few seconds
 * is never idle. So: a new connection must deliver its first request's headers within {@code http.headerTimeoutMs},
 * and after each response the next request must start within {@code http.idleTimeoutMs}; a request being served
 * (an event stream, say) has no deadline. Bodies have their own ({@link RequestBody}).
 *
 * <p>Every method runs on the HTTP server's event loop (one verticle instance), so the map needs no lock.
 */
final class SlowClients {
  private final Vertx vertx;
  private final long headerTimeoutMs;
  private final long idleTimeoutMs;
  private final Map<HttpConnection, Long> deadlines = new IdentityHashMap<>();

  SlowClients(Vertx vertx, long headerTimeoutMs, long idleTimeoutMs) {
    this.vertx = vertx;
    this.headerTimeoutMs = headerTimeoutMs;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** For {@code HttpServer.connectionHandler}: the clock for the first request starts now. */
  void connected(HttpConnection connection) {
    arm(connection, headerTimeoutMs);
    connection.closeHandler(v -> disarm(connection));
  }

  /** The first route: a request arrived whole (its headers); its clock stops until its response is done. */
  void requestArrived(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    if (connection != null) {
      disarm(connection);
      ctx.addEndHandler(done -> {
        if (!ctx.response().closed()) {
          arm(connection, idleTimeoutMs);
        }
      });
    }
    ctx.next();
  }

  private void arm(HttpConnection connection, long ms) {
    disarm(connection);
    deadlines.put(connection, vertx.setTimer(ms, id -> {
      deadlines.remove(connection);
      connection.close();
    }));
  }

  private void disarm(HttpConnection connection) {
    Long timer = deadlines.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  /** Connections waiting for their next request (tests). */
  int waiting() {
    return deadlines.size();
  }
}
