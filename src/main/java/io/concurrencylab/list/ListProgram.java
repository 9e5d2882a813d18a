package io.concurrencylab.list;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ListMessages.Snapshot;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Q4 as a program ({@code lab list}): the list owner, the producer and the consumer, and a printer that tells
 * what happens in the lesson's words. {@link #stop()} stops the two actors and returns the owner's final snapshot
 * once every line up to it has been printed.
 */
public final class ListProgram {
  private final Vertx vertx;
  private final ListPrinterVerticle printer;
  private String producerId;
  private String consumerId;

  private ListProgram(Vertx vertx, Consumer<String> out) {
    this.vertx = vertx;
    this.printer = new ListPrinterVerticle(out);
  }

  /** The owner and printer first, so the first add is already seen; then the producer and the consumer. */
  public static Future<ListProgram> start(Vertx vertx, LabConfig config, Consumer<String> out) {
    ListProgram program = new ListProgram(vertx, out);
    return vertx.deployVerticle(new ListOwnerVerticle(config.listCapacity()))
        .compose(id -> vertx.deployVerticle(program.printer))
        .compose(id -> vertx.deployVerticle(new ProducerVerticle(config.producerMinMs(), config.producerMaxMs())))
        .compose(id -> {
          program.producerId = id;
          return vertx.deployVerticle(new ConsumerVerticle(config.consumerMinMs(), config.consumerMaxMs()));
        })
        .map(id -> {
          program.consumerId = id;
          return program;
        });
  }

  public Future<Snapshot> stop() {
    return Future.all(vertx.undeploy(producerId), vertx.undeploy(consumerId))
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.LIST_SNAPSHOT, null))
        .map(msg -> Snapshot.fromJson(msg.body()))
        .compose(snapshot -> printer.caughtUp(snapshot).map(snapshot));
  }

  /** The closing line: totals and what is left. */
  public static String summary(Snapshot s, long seconds) {
    return "Stopped after " + seconds + " s: " + s.added() + " added, " + s.removed() + " removed, " + s.size()
        + " left " + s.items();
  }
}
