package io.concurrencylab.list;

import io.concurrencylab.bus.Addresses;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lesson's remover thread: asks the owner to remove the head, every min..max ms. It never touches the list. */
public final class ConsumerVerticle extends PacedVerticle {
  private static final Logger log = LoggerFactory.getLogger(ConsumerVerticle.class);

  public ConsumerVerticle(long minMs, long maxMs) {
    super(minMs, maxMs);
  }

  @Override
  Future<?> act() {
    return vertx.eventBus().request(Addresses.LIST_REMOVE, null)
        .onFailure(e -> log.debug("remove failed: {}", e.getMessage())); // e.g. the owner stepping down: next tick
  }
}
