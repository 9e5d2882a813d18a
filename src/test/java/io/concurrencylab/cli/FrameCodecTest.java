package io.concurrencylab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static DataInputStream stream(byte[] bytes) {
    return new DataInputStream(new ByteArrayInputStream(bytes));
  }

  private static byte[] frame(int length, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + body.length).putInt(length).put(body).array();
  }

  @Test
  void theLengthIsBigEndianAndCountsUtf8BytesNotChars() {
    JsonObject frame = new JsonObject().put("type", "send").put("body", "é€");
    byte[] encoded = FrameCodec.encode(frame);

    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    assertThat(json.length).isGreaterThan(frame.encode().length()); // the test means something only then
    assertThat(Arrays.copyOf(encoded, 4)).containsExactly(0, 0, 0, json.length);
    assertThat(Arrays.copyOfRange(encoded, 4, encoded.length)).isEqualTo(json);
  }

  @Test
  void framesWrittenBackToBackReadBackInOrder() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonObject first = new JsonObject().put("type", "ping");
    JsonObject second = new JsonObject().put("type", "send").put("address", "lab.list.add").put("body", 42);
    FrameCodec.write(out, first);
    FrameCodec.write(out, second);

    DataInputStream in = stream(out.toByteArray());
    assertThat(FrameCodec.read(in)).isEqualTo(first);
    assertThat(FrameCodec.read(in)).isEqualTo(second);
    assertThatThrownBy(() -> FrameCodec.read(in)).isInstanceOf(EOFException.class);
  }

  @Test
  void aFrameCutShortIsAnEndOfStream() {
    byte[] whole = FrameCodec.encode(new JsonObject().put("type", "pong"));
    assertThatThrownBy(() -> FrameCodec.read(stream(Arrays.copyOf(whole, whole.length - 1))))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> FrameCodec.read(stream(new byte[] {0, 0}))).isInstanceOf(EOFException.class);
  }

  @Test
  void lengthsOutOfRangeAreNotFrames() {
    assertThatThrownBy(() -> FrameCodec.read(stream(frame(-1, "{}"))))
        .isInstanceOf(FrameCodec.FrameException.class);
    // "HTTP" read as a length: what an HTTP server's answer looks like to a frame reader
    assertThatThrownBy(() -> FrameCodec.read(stream("HTTP/1.1 400 Bad Request".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(FrameCodec.FrameException.class).hasMessageContaining("frame length");
  }

  @Test
  void onlyJsonObjectsAreFrames() {
    assertThatThrownBy(() -> FrameCodec.read(stream(frame(5, "[1,2]")))).isInstanceOf(FrameCodec.FrameException.class);
    assertThatThrownBy(() -> FrameCodec.read(stream(frame(5, "{nope")))).isInstanceOf(FrameCodec.FrameException.class);
  }
}
