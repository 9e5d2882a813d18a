package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ReplicaMessages.Op;
import io.concurrencylab.bus.ReplicaMessages.Replicate;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicateCodecTest {
  @Test
  void aRoundCrossesTheWireAsItWasSent() {
    Replicate sent = new Replicate(7, "owner-é", 41,
        List.of(Op.add("id-1", -5), Op.remove("id-2"), Op.remove(null), Op.join("n2"), Op.leave("n3"),
            Op.add("ünï", Long.MAX_VALUE)), 40);
    ReplicateCodec codec = new ReplicateCodec();
    Buffer wire = Buffer.buffer().appendString("before");
    codec.encodeToWire(wire, sent);
    wire.appendString("after"); // the codec reads its own bytes only
    assertThat(codec.decodeFromWire(6, wire)).isEqualTo(sent);
  }

  @Test
  void aHeartbeatCarriesNoOperation() {
    Replicate heartbeat = new Replicate(1, "o", 0, List.of(), 0);
    Buffer wire = Buffer.buffer();
    new ReplicateCodec().encodeToWire(wire, heartbeat);
    assertThat(new ReplicateCodec().decodeFromWire(0, wire)).isEqualTo(heartbeat);
  }
}
