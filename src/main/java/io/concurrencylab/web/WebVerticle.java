package io.concurrencylab.web;

import io.concurrencylab.bus.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * The HTTP side of {@code lab serve}: {@code /health} for now. Binds where {@code http.host} says (127.0.0.1 by
 * default); a failed bind fails the deployment, so {@code serve} never reports a server that is not there.
 */
public final class WebVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private HttpServer server;

  public WebVerticle(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health*").handler(HealthCheckHandler.createWithHealthChecks(healthChecks()));
    return vertx.createHttpServer().requestHandler(router).listen(port, host).onSuccess(s -> server = s);
  }

  /** The actual port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private HealthChecks healthChecks() {
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(1_000);
    return HealthChecks.create(vertx)
        .register("list-owner", 2_000, promise -> vertx.eventBus().request(Addresses.LIST_SNAPSHOT, null, quick)
            .onComplete(ar -> promise.complete(ar.succeeded() ? Status.OK() : Status.KO())))
        .register("factorial-workers", 2_000, promise -> vertx.eventBus().request(Addresses.FACTORIAL_COMPUTE, 0, quick)
            .onComplete(ar -> promise.complete(ar.succeeded() ? Status.OK() : Status.KO())));
  }
}
