package io.concurrencylab.list;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ListMessages.Add;
import io.vertx.core.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lesson's adder thread: asks the owner to add a random 1..100, every min..max ms. It never touches the list. */
public final class ProducerVerticle extends PacedVerticle {
  private static final Logger log = LoggerFactory.getLogger(ProducerVerticle.class);

  private static final io.vertx.core.eventbus.DeliveryOptions FROM_PRODUCER = new io.vertx.core.eventbus.DeliveryOptions()
      .addHeader(io.concurrencylab.bus.WebMessages.ORIGIN, "producer");

  public ProducerVerticle(long minMs, long maxMs) {
    super(minMs, maxMs);
  }

  @Override
  Future<?> act() {
    long value = ThreadLocalRandom.current().nextLong(1, 101);
    // A refusal (409 full) is normal back-pressure: the next tick tries again.
    return vertx.eventBus().request(Addresses.LIST_ADD, new Add(value).toJson(), FROM_PRODUCER)
        .onFailure(e -> log.debug("add {} refused: {}", value, e.getMessage()));
  }
}
