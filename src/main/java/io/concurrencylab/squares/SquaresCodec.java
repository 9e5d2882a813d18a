package io.concurrencylab.squares;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * A chunk's reply on the wire: the squares of {@code from..from+count-1} as 8-byte big-endian longs, written
 * straight into the outgoing message. Sent as a {@link Squares} (two numbers, no array): the node computes them as
 * the reply is encoded, into a message buffer sized once, so a 500 KB reply costs one buffer, not an array, its copy
 * and the message it is copied into (on a node with a 2 MB young generation, that garbage was most of its GC). The
 * receiver gets the squares as a {@link Buffer} that shares the message's memory.
 */
final class SquaresCodec implements MessageCodec<SquaresCodec.Squares, Buffer> {
  static final String NAME = "lab.squares";

  /** The squares of from..from+count-1, computed when written. */
  record Squares(long from, int count) {
    /** Into {@code buffer}, from {@code at} on; the buffer grows once, to its final length, first. */
    void writeTo(Buffer buffer, int at) {
      if (count > 0) {
        buffer.setLong(at + 8 * (count - 1), 0);
      }
      ByteBuf bytes = ((BufferInternal) buffer).getByteBuf(); // a view of the same memory
      if (bytes.hasArray()) {
        fill(bytes.array(), bytes.arrayOffset() + at, from, count);
        return;
      }
      for (int i = 0; i < count; i++) {
        long x = from + i;
        buffer.setLong(at + 8 * i, x * x);
      }
    }

    /**
     * The squares of from..from+count-1 into {@code array} from {@code at} on, big-endian. A plain loop over the
     * array: a node runs C1-compiled code only (it starts faster), and C1 does not inline Buffer.setLong's chain of
     * calls (bounds, capacity, reference count) for each number.
     */
    static void fill(byte[] array, int at, long from, int count) {
      for (int i = 0, o = at; i < count; i++, o += 8) {
        long x = from + i;
        long v = x * x;
        array[o] = (byte) (v >>> 56);
        array[o + 1] = (byte) (v >>> 48);
        array[o + 2] = (byte) (v >>> 40);
        array[o + 3] = (byte) (v >>> 32);
        array[o + 4] = (byte) (v >>> 24);
        array[o + 5] = (byte) (v >>> 16);
        array[o + 6] = (byte) (v >>> 8);
        array[o + 7] = (byte) v;
      }
    }
  }

  /** Registers the codec (once per event bus: the coordinator's, a node's), and it as the one for {@link Squares}. */
  static void register(EventBus bus) {
    try {
      bus.registerDefaultCodec(Squares.class, new SquaresCodec());
    } catch (IllegalStateException already) {
      // registered by an earlier verticle on this event bus (tests deploy several nodes in one Vert.x)
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Squares squares) {
    buffer.appendInt(squares.count() * 8);
    squares.writeTo(buffer, buffer.length());
  }

  @Override
  public Buffer decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return buffer.slice(pos + 4, pos + 4 + length); // the message's own buffer is not reused: no copy
  }

  /** Delivered in this process (tests): the same bytes, computed into a buffer of their own. */
  @Override
  public Buffer transform(Squares squares) {
    Buffer buffer = Buffer.buffer(squares.count() * 8);
    squares.writeTo(buffer, 0);
    return buffer;
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
