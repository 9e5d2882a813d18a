package io.concurrencylab.factorial;

import io.concurrencylab.bus.FactorialMessages.Request;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageCodec;

/**
 * What the gate hands a worker on {@code lab.factorial.work}: the checked request and the caller's message, which the
 * worker answers. In-process only (its codec refuses the wire), so it is passed as is, never copied.
 */
record Work(Request request, Message<Object> caller) {
  static final String CODEC = "lab-factorial-work";

  /** Registers the codec once per event bus (idempotent). */
  static void register(EventBus bus) {
    try {
      bus.registerCodec(new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // another deployment of this process registered it
    }
  }

  private static final class Codec implements MessageCodec<Work, Work> {
    @Override
    public void encodeToWire(Buffer buffer, Work work) {
      throw new IllegalStateException("factorial work never leaves its process");
    }

    @Override
    public Work decodeFromWire(int pos, Buffer buffer) {
      throw new IllegalStateException("factorial work never leaves its process");
    }

    @Override
    public Work transform(Work work) {
      return work;
    }

    @Override
    public String name() {
      return CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
