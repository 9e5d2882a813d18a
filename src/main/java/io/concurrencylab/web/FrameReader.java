package io.concurrencylab.web;

import io.concurrencylab.bus.BridgeFrames;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.StrictJson;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;

/**
 * Cuts the bytes of one bridge connection into frames (a 4-byte length, then that much UTF-8 JSON), and holds at
 * most one frame's worth while it waits for the rest: a length over {@code maxFrameBytes} is refused as soon as its
 * four bytes arrive (an HTTP request sent here reads as a 1.3 GB length: it is refused, not waited for). The first
 * problem ends the reading: the connection is to be closed, and whatever follows is ignored.
 */
final class FrameReader implements Handler<Buffer> {
  private final int maxFrameBytes;
  private final Handler<JsonObject> frames;
  private final BiConsumer<String, String> problem;
  private Buffer pending = Buffer.buffer();
  private boolean stopped;

  /**
   * @param frames each whole frame, in order
   * @param problem told once, with a code of {@link BridgeFrames} and a detail, when the bytes are not frames
   */
  FrameReader(int maxFrameBytes, Handler<JsonObject> frames, BiConsumer<String, String> problem) {
    this.maxFrameBytes = maxFrameBytes;
    this.frames = frames;
    this.problem = problem;
  }

  @Override
  public void handle(Buffer bytes) {
    if (stopped) {
      return;
    }
    pending = pending.length() == 0 ? bytes.copy() : pending.appendBuffer(bytes); // never keep the socket's own buffer
    int offset = 0;
    while (!stopped && pending.length() - offset >= 4) {
      int length = pending.getInt(offset);
      if (length < 0 || length > maxFrameBytes) {
        stop(BridgeFrames.TOO_LARGE, "a frame length of " + Integer.toUnsignedLong(length) + " bytes; at most "
            + maxFrameBytes + " (bridge.maxFrameBytes)");
        return;
      }
      if (pending.length() - offset - 4 < length) {
        break; // the rest of this frame has not arrived yet
      }
      Buffer json = pending.getBuffer(offset + 4, offset + 4 + length);
      offset += 4 + length;
      Object frame;
      try {
        frame = StrictJson.decode(json);
      } catch (LabException e) {
        stop(BridgeFrames.MALFORMED, e.getMessage());
        return;
      }
      if (!(frame instanceof JsonObject object)) {
        stop(BridgeFrames.MALFORMED, "a frame must be a JSON object");
        return;
      }
      frames.handle(object);
    }
    if (stopped) {
      return; // a frame's handler stopped the reading (and dropped what was held)
    }
    pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
  }

  /** Whether part of a frame has arrived and the rest has not. */
  boolean partial() {
    return !stopped && pending.length() > 0;
  }

  /** Bytes held for the frame in progress (tests). */
  int held() {
    return pending.length();
  }

  void stop(String code, String detail) {
    if (!stopped) {
      stopped = true;
      pending = Buffer.buffer();
      problem.accept(code, detail);
    }
  }
}
