package io.concurrencylab.web;

import io.concurrencylab.config.LabConfig;
import io.concurrencylab.factorial.FactorialWorkerVerticle;
import io.concurrencylab.list.ListOwnerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.function.UnaryOperator;

/**
 * The services the web layer talks to, deployed for real in one Vert.x (like {@code ServeApp}, without the producer
 * and consumer, so the list only changes when a test changes it), and the web verticle on a free port.
 */
final class WebFixture implements AutoCloseable {
  final Vertx vertx;
  final WebClient client;
  final int port;

  private WebFixture(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.client = WebClient.create(vertx);
  }

  /** Defaults, port 0, list capacity 3 (to reach 409 quickly), factorial bound 1000. */
  static LabConfig config() {
    return LabConfig.defaults().with("http.port", 0).with("list.capacity", 3).with("factorial.maxN", 1000);
  }

  static WebFixture start() {
    return start(new VertxOptions(), config(), true, UnaryOperator.identity());
  }

  /** {@code customize} may add health checks; {@code factorials} false leaves lab.factorial.compute unserved. */
  static WebFixture start(VertxOptions options, LabConfig config, boolean factorials,
      UnaryOperator<WebVerticle> customize) {
    Vertx vertx = Vertx.vertx(options);
    try {
      vertx.deployVerticle(new ListOwnerVerticle(config.listCapacity())).await();
      if (factorials) {
        FactorialWorkerVerticle.deploy(vertx, config.factorialInstances(), config.factorialMaxN()).await();
      }
      WebVerticle web = customize.apply(new WebVerticle(config));
      vertx.deployVerticle(web).await();
      return new WebFixture(vertx, web.actualPort());
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
  }

  /** A request; {@code body} is sent as it is (null: none), {@code headers} as name, value pairs. */
  Reply call(HttpMethod method, String path, String body, String... headers) {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    HttpResponse<Buffer> response = (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body))).await();
    return new Reply(response.statusCode(), response.getHeader("Content-Type"), response.bodyAsString());
  }

  Reply get(String path) {
    return call(HttpMethod.GET, path, null);
  }

  Reply post(String path, String body) {
    return call(HttpMethod.POST, path, body, "Content-Type", "application/json");
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  record Reply(int status, String contentType, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }
}
