package io.concurrencylab.web;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.FactorialMessages;
import io.concurrencylab.config.LabConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of {@code lab serve}: the status page ({@code webroot/}), the JSON API ({@link ApiRoutes}), the live
 * stream ({@link EventStream} + {@link Wiretap}), {@code /health} and {@code /metrics}. It only wires them.
 *
 * <p>Binds where {@code http.host} says (127.0.0.1 by default); a failed bind fails the deployment, so
 * {@code serve} never reports a server that is not there.
 */
public final class WebVerticle extends VerticleBase {
  private final LabConfig config;
  private final List<HealthCheck> extraChecks = new ArrayList<>();
  private HttpServer server;
  private EventStream events;
  private PrometheusMeterRegistry registry;
  private io.concurrencylab.config.AccessToken token;

  private record HealthCheck(String name, long timeoutMs, Handler<Promise<Status>> procedure) {}

  public WebVerticle(LabConfig config) {
    this.config = config;
  }

  /** Every route but /health and /login then asks for this token ({@link AccessGuard}). */
  public WebVerticle withAccessToken(io.concurrencylab.config.AccessToken token) {
    this.token = token;
    return this;
  }

  /**
   * Adds a procedure to {@code /health}, e.g. {@code cluster.ClusterSafety#procedure()}; call before
   * deploying. The procedure completes its promise with {@code Status.OK()} or {@code Status.KO(...)}.
   */
  public WebVerticle withHealthCheck(String name, long timeoutMs, Handler<Promise<Status>> procedure) {
    extraChecks.add(new HealthCheck(name, timeoutMs, procedure));
    return this;
  }

  /**
   * On every answer: no sniffing, no script or frame from elsewhere, and the page in no other site's frame (a
   * transparent frame over it could make the user click Start sweep: {@code frame-ancestors}, and
   * {@code X-Frame-Options} for older browsers); no referrer leaves the page; nothing of the API or the live stream
   * is cached.
   */
  private static void securityHeaders(io.vertx.ext.web.RoutingContext ctx) {
    var headers = ctx.response().headers();
    headers.add("X-Content-Type-Options", "nosniff")
        .add("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
        .add("X-Frame-Options", "DENY")
        .add("Referrer-Policy", "no-referrer");
    String path = ctx.request().path();
    if (path != null && (path.startsWith("/api/") || path.equals("/events") || path.equals("/metrics")
        || path.startsWith("/health"))) {
      headers.add("Cache-Control", "no-store");
    }
    ctx.next();
  }

  /**
   * A path with a malformed percent-escape cannot be decoded, so no route can match it: a 400 that says so (the
   * router's own handling of it was a 500 and a warning quoting the raw path). The path itself is not echoed.
   */
  private static void decodablePath(io.vertx.ext.web.RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      ctx.fail(new io.concurrencylab.bus.LabException(io.concurrencylab.bus.Failures.BAD_INPUT,
          "malformed path: a '%' must start an escape of two hexadecimal digits (RFC 3986)"));
      return;
    }
    ctx.next();
  }

  @Override
  public Future<?> start() {
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // failures carry where and how they happened
    Wiretap wiretap = new Wiretap(tap -> events.tap(tap));
    events = new EventStream(vertx, wiretap::listening, config.httpMaxEventStreams());
    registry = Metrics.registry(vertx);
    // the lab's own meters are recorded at their source (list owner, sweeps) into Micrometer's global registry
    io.micrometer.core.instrument.Metrics.addRegistry(registry);
    ErrorHandler errors = new ErrorHandler(config.httpMaxBodyBytes());
    SlowClients slow = new SlowClients(vertx, config.httpHeaderTimeoutMs(), config.httpIdleTimeoutMs());

    Router router = Router.router(vertx);
    router.route().handler(slow::requestArrived);
    router.route().handler(WebVerticle::securityHeaders);
    // Looking the interfaces up (for a wildcard http.host) is blocking: the guard is built before routing starts.
    return vertx.executeBlocking(() -> new HostGuard(config.httpHost(), config.httpAllowedHosts(), this::actualPort))
        .compose(guard -> {
          router.route().handler(guard::host);
          router.route().handler(WebVerticle::decodablePath); // before any route that matches by path
          AccessGuard access = new AccessGuard(token);
          router.route().handler(access::check);
          router.route("/login").method(HttpMethod.GET).method(HttpMethod.POST).handler(access::login);
          router.route("/api/*").handler(guard::sameSite);
          router.route("/events").handler(guard::sameSite);
          new ApiRoutes(vertx, config.requestTimeoutMs(), config.listFailoverHoldMs(),
              new RequestBody(vertx, config.httpMaxBodyBytes(), config.httpBodyTimeoutMs()),
              config.factorialMaxInFlight(), wiretap::failed).mount(router);
          ApiRoutes.get(router, "/events").handler(events);
          ApiRoutes.get(router, "/health").handler(HealthCheckHandler.createWithHealthChecks(healthChecks()));
          ApiRoutes.get(router, "/metrics").handler(PrometheusScrapingHandler.create(registry));
          // the page; not under /api/, so an unknown API path is a 404 rather than a 405 from this route
          router.routeWithRegex("^/(?!api/).*").method(HttpMethod.GET).method(HttpMethod.HEAD)
              .handler(StaticHandler.create("webroot").setCachingEnabled(false));
          router.route().failureHandler(errors);
          ErrorHandler.STATUSES.forEach(status -> router.errorHandler(status, errors));
          return Future.all(vertx.deployVerticle(wiretap), events.start());
        })
        // HTTP/1.1 only. With cleartext HTTP/2 (h2c) on, Vert.x's default, a connection is handed to the server (and
        // to SlowClients' header clock) only once its first bytes tell HTTP/1.1 from h2c: a client that sent nothing
        // was held until the idle timeout. No browser speaks h2c, and its frames escape the HTTP/1.1 limits here
        // (a body over http.maxBodyBytes ended in a GOAWAY, not a 413).
        .compose(v -> vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) config.httpIdleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
            .requestHandler(router)
            .invalidRequestHandler(ErrorHandler::invalidRequest)
            .connectionHandler(slow::connected)
            .listen(config.httpPort(), config.httpHost())
            .recover(e -> PortInUse.explain(e, "http.port", config.httpHost(), config.httpPort())))
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    events.stop();
    io.micrometer.core.instrument.Metrics.removeRegistry(registry);
    return Future.succeededFuture();
  }

  /** The actual port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private HealthChecks healthChecks() {
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(1_000);
    HealthChecks checks = HealthChecks.create(vertx)
        // held while an owner is being elected (a serve just started, or a failover), within the check's 2 s
        .register("list-owner", 2_000, promise -> io.concurrencylab.bus.OwnerRequests.request(vertx,
                Addresses.LIST_SNAPSHOT, null, new DeliveryOptions(), 1_500, "the health check's own limit")
            .onComplete(ar -> promise.complete(status(ar.cause()))))
        // this serve's own pool, asked how loaded it is: a full pool (factorial.maxInFlight in flight) is busy, not
        // down, and a question sent through it would wait behind its work; a busy pool that answers nothing is stuck
        .register("factorial-workers", 2_000, promise -> vertx.eventBus().<JsonObject>request(Addresses.FACTORIAL_LOAD,
                null, new DeliveryOptions(quick).setLocalOnly(true))
            .onComplete(ar -> promise.complete(ar.failed() ? status(ar.cause()) : load(ar.result().body()))));
    extraChecks.forEach(c -> checks.register(c.name(), c.timeoutMs(), c.procedure()));
    return checks;
  }

  /** UP with the pool's load, or DOWN when it is stuck (busy, and no factorial answered for a long time). */
  private static Status load(JsonObject json) {
    FactorialMessages.Load load = FactorialMessages.Load.fromJson(json);
    return load.stuck() ? Status.KO(json.copy().put("error", "no factorial answered for " + load.sinceProgressMs()
        + " ms with " + load.inFlight() + " in flight: the workers are hung, or starved of CPU")) : Status.OK(json);
  }

  /** UP, or DOWN with why, e.g. {@code {"error": "not available: no handler for lab.list.snapshot", "status": 503}}. */
  private static Status status(Throwable failure) {
    return failure == null ? Status.OK() : Status.KO(ErrorHandler.map(failure, -1).toJson());
  }
}
