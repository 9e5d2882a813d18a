package io.concurrencylab.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/** Registering the lab's message codecs. */
final class Codecs {
  private Codecs() {}

  /** Registers {@code codec} on {@code bus} unless a codec of its name is there already (another verticle's). */
  static void registerOnce(EventBus bus, MessageCodec<?, ?> codec) {
    try {
      bus.registerCodec(codec);
    } catch (IllegalStateException alreadyRegistered) {
      // registered by another verticle of the same Vert.x instance
    }
  }
}
