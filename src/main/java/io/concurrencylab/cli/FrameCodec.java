package io.concurrencylab.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The TCP bridge's framing: a 4-byte big-endian length, then that many bytes of UTF-8 JSON (one object per frame).
 * Plain streams, no Vert.x instance: the CLI must start fast.
 */
final class FrameCodec {
  /** Larger than any reply of the contract (100000! is ~460 kB), small enough to refuse garbage lengths at once. */
  static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

  private FrameCodec() {}

  static byte[] encode(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
  }

  static void write(OutputStream out, JsonObject frame) throws IOException {
    out.write(encode(frame));
    out.flush();
  }

  /**
   * The next frame.
   *
   * @throws EOFException when the peer closed the connection (between frames or inside one)
   * @throws FrameException when what arrives is not a frame: a length out of range, or not a JSON object
   */
  static JsonObject read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_FRAME_BYTES) {
      throw new FrameException("a frame length of " + length + " bytes");
    }
    byte[] json = new byte[length];
    in.readFully(json);
    try {
      return new JsonObject(new String(json, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new FrameException("a frame that is not a JSON object");
    }
  }

  /** The peer does not speak the bridge's protocol (e.g. the HTTP port was given instead of the bridge's). */
  static final class FrameException extends IOException {
    FrameException(String what) {
      super(what);
    }
  }
}
