package io.concurrencylab.app;

import io.concurrencylab.config.LabConfig;
import io.concurrencylab.factorial.FactorialWorkerVerticle;
import io.concurrencylab.list.ConsumerVerticle;
import io.concurrencylab.list.ListOwnerVerticle;
import io.concurrencylab.list.ProducerVerticle;
import io.concurrencylab.web.WebVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What {@code lab serve} runs, in dependency order: the services first (list owner, factorial workers), then the
 * actors that use them (producer, consumer), then the HTTP server, so nothing it serves can answer NO_HANDLERS.
 */
public final class ServeApp {
  private final WebVerticle web;

  private ServeApp(WebVerticle web) {
    this.web = web;
  }

  public static Future<ServeApp> deploy(Vertx vertx, LabConfig config) {
    WebVerticle web = new WebVerticle(config);
    return vertx.deployVerticle(new ListOwnerVerticle(config.listCapacity()))
        .compose(id -> FactorialWorkerVerticle.deploy(vertx, config.factorialInstances(), config.factorialMaxN()))
        .compose(id -> vertx.deployVerticle(new ProducerVerticle(config.producerMinMs(), config.producerMaxMs())))
        .compose(id -> vertx.deployVerticle(new ConsumerVerticle(config.consumerMinMs(), config.consumerMaxMs())))
        .compose(id -> vertx.deployVerticle(web))
        .map(id -> new ServeApp(web));
  }

  public int httpPort() {
    return web.actualPort();
  }
}
