package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.BridgeFrames;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.testing.ClusterMembers;
import io.vertx.core.Vertx;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge of one serve in a real two-member cluster (this JVM): what a client frame may reach. */
class BridgeClusterIT {
  private static final int PORT = 6170; // away from the app's (5701+), the sweeps' (5801+) and WiretapClusterIT's
  private final String cluster = "bridge-it-" + UUID.randomUUID();
  private Vertx here;
  private Vertx other;

  @AfterEach
  void stop() {
    for (Vertx v : new Vertx[] {other, here}) {
      if (v != null) {
        v.close().await();
      }
    }
  }

  /**
   * A publish to a request address reaches this serve's own consumers only, as a send does: one frame set every
   * serve of the cluster to work (seen in a review, with lab.factorial.compute).
   */
  @Test
  void aPublishFromAClientStaysInItsServe() throws Exception {
    here = ClusterMembers.member(cluster, PORT);
    other = ClusterMembers.member(cluster, PORT);
    LinkedBlockingQueue<Object> hereGot = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Object> otherGot = new LinkedBlockingQueue<>();
    here.eventBus().consumer(Addresses.FACTORIAL_COMPUTE, m -> hereGot.add(m.body())).completion().await();
    other.eventBus().consumer(Addresses.FACTORIAL_COMPUTE, m -> otherGot.add(m.body())).completion().await();
    BridgeVerticle bridge = new BridgeVerticle(LabConfig.defaults().with("bridge.port", 0));
    here.deployVerticle(bridge).await();

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), bridge.actualPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(BridgeFrames.encode(BridgeFrames.message(BridgeFrames.PUBLISH,
          Addresses.FACTORIAL_COMPUTE, 5, null, null)).getBytes());
      assertThat(hereGot.poll(10, TimeUnit.SECONDS)).as("this serve's consumer").isEqualTo(5);
    }
    // A marker published cluster-wide from the same member after it: messages from one member to another keep
    // their order, so had the client's publish crossed, it would reach the other member first.
    here.eventBus().publish(Addresses.FACTORIAL_COMPUTE, "marker");
    assertThat(otherGot.poll(10, TimeUnit.SECONDS)).as("the first message the other serve got").isEqualTo("marker");
  }
}
