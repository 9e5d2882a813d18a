package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.junit5.VertxExtension;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BridgeVerticleTest {
  private static List<String> addresses(List<PermittedOptions> permitted) {
    // An entry without an address and without a regex would let everything through: none may exist.
    assertThat(permitted).allSatisfy(p -> {
      assertThat(p.getAddress()).isNotNull();
      assertThat(p.getAddressRegex()).isNull();
    });
    return permitted.stream().map(PermittedOptions::getAddress).toList();
  }

  @Test
  void theAllowListsAreThePublicContractAndNothingElse() {
    BridgeOptions options = BridgeVerticle.permissions();
    List<String> inbound = new ArrayList<>(Addresses.PUBLIC_REQUESTS);
    inbound.addAll(Addresses.PUBLIC_EVENTS);

    assertThat(addresses(options.getInboundPermitteds())).containsExactlyInAnyOrderElementsOf(inbound);
    assertThat(addresses(options.getOutboundPermitteds())).containsExactlyInAnyOrderElementsOf(Addresses.PUBLIC_EVENTS);
  }

  @Test
  void portZeroListensOnSomeFreePortAndReportsIt(Vertx vertx) throws Exception {
    BridgeVerticle bridge = new BridgeVerticle("127.0.0.1", 0);
    vertx.deployVerticle(bridge).await();

    assertThat(bridge.actualPort()).isPositive();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), bridge.actualPort())) {
      assertThat(pong(socket)).isEqualTo("{\"type\":\"pong\"}");
    }
  }

  /** A ping frame (4-byte length, JSON) and the bridge's answer, by hand: this side needs no client code. */
  private static String pong(Socket socket) throws Exception {
    byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.writeInt(ping.length);
    out.write(ping);
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] answer = new byte[in.readInt()];
    in.readFully(answer);
    return new String(answer, StandardCharsets.UTF_8);
  }

  @Test
  void aFailedBindFailsTheDeployment(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      BridgeVerticle bridge = new BridgeVerticle("127.0.0.1", taken.getLocalPort());
      assertThatThrownBy(() -> vertx.deployVerticle(bridge).await()).hasMessageContaining("in use");
    }
  }
}
