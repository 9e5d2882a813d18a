package io.concurrencylab.bus;

import io.concurrencylab.bus.ReplicaMessages.Op;
import io.concurrencylab.bus.ReplicaMessages.OpKind;
import io.concurrencylab.bus.ReplicaMessages.Replicate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Replicate} on the wire in binary: every operation the list owner acknowledges crosses to the other serves in
 * one of these, and as JSON its encoding and parsing were a third of a replica's work. Fields in order: epoch,
 * after, commit (longs), owner (string), the number of operations, then per operation its kind (a byte), request id,
 * value (a long) and node (strings: an int length, -1 for null, then UTF-8). In-process it is not copied (a
 * {@code Replicate} is immutable once sent: the owner starts a new list of operations for the next round).
 */
public final class ReplicateCodec implements MessageCodec<Replicate, Replicate> {
  public static final String NAME = "lab-replicate";
  private static final OpKind[] KINDS = OpKind.values();

  /** Registers the codec once per event bus (idempotent); every serve that may receive a round needs it. */
  public static void register(EventBus bus) {
    Codecs.registerOnce(bus, new ReplicateCodec());
  }

  /** Options that select this codec, with {@code headers} of {@code template}. */
  public static DeliveryOptions options(DeliveryOptions template) {
    return new DeliveryOptions(template).setCodecName(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, Replicate r) {
    buffer.appendLong(r.epoch()).appendLong(r.after()).appendLong(r.commit());
    string(buffer, r.owner());
    buffer.appendInt(r.ops().size());
    for (Op op : r.ops()) {
      buffer.appendByte((byte) op.kind().ordinal());
      string(buffer, op.requestId());
      buffer.appendLong(op.value());
      string(buffer, op.node());
    }
  }

  @Override
  public Replicate decodeFromWire(int pos, Buffer buffer) {
    int[] at = {pos};
    long epoch = buffer.getLong(at[0]);
    long after = buffer.getLong(at[0] + 8);
    long commit = buffer.getLong(at[0] + 16);
    at[0] += 24;
    String owner = string(buffer, at);
    int count = buffer.getInt(at[0]);
    at[0] += 4;
    List<Op> ops = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      OpKind kind = KINDS[buffer.getByte(at[0])];
      at[0] += 1;
      String id = string(buffer, at);
      long value = buffer.getLong(at[0]);
      at[0] += 8;
      ops.add(new Op(kind, id, value, string(buffer, at)));
    }
    return new Replicate(epoch, owner, after, List.copyOf(ops), commit);
  }

  private static void string(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
    } else {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(bytes.length).appendBytes(bytes);
    }
  }

  private static String string(Buffer buffer, int[] at) {
    int length = buffer.getInt(at[0]);
    at[0] += 4;
    if (length < 0) {
      return null;
    }
    String s = buffer.getString(at[0], at[0] + length, "UTF-8");
    at[0] += length;
    return s;
  }

  @Override
  public Replicate transform(Replicate replicate) {
    return replicate;
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
