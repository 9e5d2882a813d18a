package io.concurrencylab.list;

import io.concurrencylab.bus.Addresses;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lesson's remover thread: asks the owner to remove the head, every min..max ms. It never touches the list. */
public final class ConsumerVerticle extends PacedVerticle {
  private static final Logger log = LoggerFactory.getLogger(ConsumerVerticle.class);

  private static final io.vertx.core.eventbus.DeliveryOptions FROM_CONSUMER = new io.vertx.core.eventbus.DeliveryOptions()
      .addHeader(io.concurrencylab.bus.WebMessages.ORIGIN, "consumer");

  public ConsumerVerticle(long minMs, long maxMs) {
    super(minMs, maxMs);
  }

  @Override
  Future<?> act() {
    return vertx.eventBus().request(Addresses.LIST_REMOVE, null, FROM_CONSUMER)
        .onFailure(e -> log.debug("remove failed: {}", e.getMessage())); // e.g. the owner stepping down: next tick
  }
}
