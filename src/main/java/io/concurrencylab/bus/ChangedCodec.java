package io.concurrencylab.bus;

import io.concurrencylab.bus.ListMessages.Changed;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * How a serve publishes {@code lab.list.changed} in its own process: the change as a record, made into its JSON
 * only when a consumer reads it. Every list operation publishes one, on every serve, and most of the time nobody
 * listens (the page's event stream and the wiretap subscribe only while someone watches). Consumers see the JSON of
 * {@link Changed#toJson()}, a fresh object each, as with any JSON body.
 */
public final class ChangedCodec implements MessageCodec<Changed, JsonObject> {
  public static final String NAME = "lab-list-changed";
  /** Publishes in this process only, with this codec. */
  public static final DeliveryOptions HERE = new DeliveryOptions().setCodecName(NAME).setLocalOnly(true);
  /** On the wire (never used: published in-process only) it is the JSON, as {@link SharedJsonCodec} writes it. */
  private static final SharedJsonCodec WIRE = new SharedJsonCodec();

  /** Registers the codec once per event bus (idempotent). */
  public static void register(EventBus bus) {
    Codecs.registerOnce(bus, new ChangedCodec());
  }

  @Override
  public void encodeToWire(Buffer buffer, Changed changed) {
    WIRE.encodeToWire(buffer, changed.toJson());
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    return WIRE.decodeFromWire(pos, buffer);
  }

  @Override
  public JsonObject transform(Changed changed) {
    return changed.toJson();
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
