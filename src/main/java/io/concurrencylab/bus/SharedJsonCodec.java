package io.concurrencylab.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * A JsonObject codec that does not copy on local delivery. The default JsonObject codec deep-copies every body it
 * delivers in-process (in case the receiver mutates it); for the hot, tiny replies and events of the list owner,
 * that copy is a large part of the cost. Use it only for bodies that nobody mutates after sending: every body sent
 * with it is built fresh by its sender and only read. On the wire (another node) it is plain JSON.
 */
public final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {
  public static final String NAME = "lab-shared-json";
  /** Delivery options that select this codec. */
  public static final DeliveryOptions OPTIONS = new DeliveryOptions().setCodecName(NAME);

  /** Registers the codec once per event bus (idempotent; every node that may receive such bodies needs it). */
  public static void register(EventBus bus) {
    Codecs.registerOnce(bus, new SharedJsonCodec());
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject json) {
    Buffer encoded = json.toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject json) {
    return json;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
