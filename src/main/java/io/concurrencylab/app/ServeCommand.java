package io.concurrencylab.app;

import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", description = "The app: list owner with producer and consumer, factorial workers, "
    + "HTTP on http.host:http.port (/health). Runs until Ctrl-C or SIGTERM.")
final class ServeCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    LabConfig config = options.load();
    Lifecycle lifecycle = new Lifecycle();
    Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setMetricsOptions(io.concurrencylab.web.Metrics.options()));
    ServeApp app;
    try {
      app = ServeApp.deploy(vertx, config).await();
    } catch (Exception e) {
      vertx.close().await();
      System.err.println("lab serve: could not start: " + e.getMessage());
      return io.concurrencylab.bus.ExitCodes.UNEXPECTED;
    }
    System.out.println("concurrency-lab serving on http://" + config.httpHost() + ":" + app.httpPort()
        + "  (health: /health; Ctrl-C to stop)");
    String signal = lifecycle.await(null);
    System.out.println("lab serve: " + signal + ", closing Vert.x");
    Lifecycle.stopAndClose(vertx, Future::succeededFuture);
    System.out.println("lab serve: stopped");
    return 0;
  }
}
