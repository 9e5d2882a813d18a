package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeFramesTest {
  /** The bridge's hand-written message frames are the bytes the frame object would encode to. */
  @Test
  void aDeliveredFrameIsWhatItsObjectEncodesTo() {
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    MultiMap some = MultiMap.caseInsensitiveMultiMap().add("a", "1").add("b", "\"two\"").add("a", "3");
    JsonObject object = new JsonObject().put("added", 7).put("size", 2).put("text", "é \" \\ \n \u0001 \u2028")
        .put("items", new JsonArray().add(1).addNull()).putNull("removed");
    for (String address : List.of("lab.list.add", "r", "é\"\\\n\u0007 \ud83d\ude00", "")) {
      for (MultiMap headers : List.of(none, some)) {
        for (Object body : Arrays.asList(object, new JsonObject(), "text", 42, null, new JsonArray().add("x"))) {
          for (boolean send : List.of(true, false)) {
            JsonObject h = new JsonObject();
            headers.forEach(e -> h.put(e.getKey(), e.getValue()));
            Buffer expected = BridgeFrames.encode(BridgeFrames.delivered(address, h, body, send));
            Buffer written = BridgeFrames.encodeDelivered(Buffer.buffer().appendString("x"), address, headers, body, send);
            assertThat(written.getBuffer(1, written.length())).as("%s %s %s %s", address, headers, body, send)
                .isEqualTo(expected);
          }
        }
      }
    }
  }
}
