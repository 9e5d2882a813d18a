package io.concurrencylab.app;

import io.concurrencylab.bus.ListMessages.Snapshot;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.list.ListProgram;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "Q4: a producer adds random numbers to a list while a consumer removes them; "
    + "one verticle owns the list, no lock. Prints each change; stops after --seconds or on Ctrl-C or SIGTERM.")
final class ListCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds (default: run until Ctrl-C).")
  Integer seconds;

  @Override
  public Integer call() throws Exception {
    if (seconds != null && seconds < 1) {
      throw new IllegalArgumentException("--seconds must be at least 1, got " + seconds);
    }
    LabConfig config = options.load();
    Lifecycle lifecycle = new Lifecycle();
    Vertx vertx = Vertx.vertx();
    long started = System.nanoTime();
    ListProgram program = ListProgram.start(vertx, config, System.out::println).await();
    lifecycle.await(seconds == null ? null : Duration.ofSeconds(seconds));
    Snapshot last = Lifecycle.stopAndClose(vertx, program::stop);
    System.out.println(ListProgram.summary(last, Math.round((System.nanoTime() - started) / 1e9)));
    return 0;
  }
}
