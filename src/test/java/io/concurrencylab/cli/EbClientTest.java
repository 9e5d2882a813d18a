package io.concurrencylab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ExitCodes;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EbClientTest {
  private static final JsonObject NO_HEADERS = new JsonObject();

  private static JsonObject message(String address, Object body) {
    return new JsonObject().put("type", "message").put("address", address).put("body", body).put("send", false);
  }

  private static JsonObject accessDenied() {
    return new JsonObject().put("type", "err").put("message", "access_denied");
  }

  @Test
  void aRequestCarriesItsTimeoutAndReturnsTheReplyBody() throws Exception {
    List<JsonObject> seen = new ArrayList<>();
    try (FakeBridge bridge = new FakeBridge(peer -> {
      peer.pong();
      JsonObject request = peer.next();
      seen.add(request);
      peer.answer(new JsonObject().put("type", "pong")); // a stray frame the client must skip
      peer.answer(message(request.getString("replyAddress"), new JsonObject().put("added", 42).put("size", 1)));
    }); EbClient client = EbClient.connect(bridge.host(), bridge.port())) {
      Object reply = client.request(Addresses.LIST_ADD, 42, new JsonObject().put("trace", "t1"), 1_500);
      assertThat(reply).isEqualTo(new JsonObject().put("added", 42).put("size", 1));
    }
    JsonObject request = seen.get(0);
    assertThat(request.getString("type")).isEqualTo("send");
    assertThat(request.getString("address")).isEqualTo(Addresses.LIST_ADD);
    assertThat(request.getValue("body")).isEqualTo(42);
    assertThat(request.getString("replyAddress")).isNotBlank();
    // the bridge reads "timeout" with getLong: it has to be a JSON number, not a string
    assertThat(request.getJsonObject("headers")).isEqualTo(new JsonObject().put("trace", "t1").put("timeout", 1_500L));
  }

  /**
   * A message over the bridge's bridge.maxFrameBytes is a usage error before it is sent: the bridge would hang up,
   * which the user would see as "is serve still running?".
   */
  @Test
  void aMessageOverTheBridgesFrameLimitIsNotSent() throws Exception {
    List<JsonObject> seen = new ArrayList<>();
    try (FakeBridge bridge = new FakeBridge(peer -> {
      peer.pong();
      seen.add(peer.next()); // the one message small enough
      peer.pong(); // the confirmation a send waits for
    }); EbClient client = EbClient.connect(bridge.host(), bridge.port(), null, 200)) {
      EbFailure f = catchThrowableOfType(EbFailure.class,
          () -> client.send(Addresses.LIST_ADD, "x".repeat(200), NO_HEADERS));
      assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(f.getMessage()).matches("the message is \\d+ bytes as a bridge frame, over bridge.maxFrameBytes "
          + "\\(200\\), the largest the bridge takes: nothing was sent");
      client.send(Addresses.LIST_ADD, 7, NO_HEADERS);
    }
    assertThat(seen).extracting(m -> m.getValue("body")).containsExactly(7);
  }

  @Test
  void aFailedRequestBecomesItsExitCode() throws Exception {
    try (FakeBridge bridge = new FakeBridge(peer -> {
      peer.pong();
      JsonObject request = peer.next();
      peer.answer(new JsonObject().put("type", "err").put("address", request.getString("replyAddress"))
          .put("failureCode", 400).put("failureType", "RECIPIENT_FAILURE").put("message", "not an integer"));
    }); EbClient client = EbClient.connect(bridge.host(), bridge.port())) {
      EbFailure f = catchThrowableOfType(EbFailure.class, () -> client.request(Addresses.LIST_ADD, "x", NO_HEADERS, 1_000));
      assertThat(f.exitCode()).isEqualTo(ExitCodes.FAILURE_REPLY);
      assertThat(f.getMessage()).contains("400").contains("not an integer");
    }
  }

  @Test
  void sendReturnsOnceTheBridgeConfirmsAndReportsARefusal() throws Exception {
    List<JsonObject> seen = new ArrayList<>();
    try (FakeBridge bridge = new FakeBridge(peer -> {
      peer.pong();
      seen.add(peer.next());
      peer.pong();
      seen.add(peer.next());
      peer.answer(accessDenied()); // what the bridge writes before the pong for a refused address
      peer.pong();
    }); EbClient client = EbClient.connect(bridge.host(), bridge.port())) {
      client.send(Addresses.LIST_ADD, 7, NO_HEADERS);
      EbFailure f = catchThrowableOfType(EbFailure.class, () -> client.publish("lab.secret", 1, NO_HEADERS));
      assertThat(f.exitCode()).isEqualTo(ExitCodes.REFUSED);
      assertThat(f.getMessage()).contains("lab.secret");
    }
    assertThat(seen.get(0).getString("type")).isEqualTo("send");
    assertThat(seen.get(0).containsKey("replyAddress")).isFalse();
    assertThat(seen.get(1).getString("type")).isEqualTo("publish");
  }

  @Test
  void tailRegistersThenDeliversUntilTheCount() throws Exception {
    List<Received> received = new ArrayList<>();
    List<String> order = new ArrayList<>();
    try (FakeBridge bridge = new FakeBridge(peer -> {
      peer.pong();
      JsonObject register = peer.next();
      assertThat(register.getString("type")).isEqualTo("register");
      assertThat(register.getString("address")).isEqualTo(Addresses.LIST_CHANGED);
      peer.pong();
      peer.answer(message(Addresses.LIST_CHANGED, new JsonObject().put("seq", 1)),
          message(Addresses.LIST_CHANGED, new JsonObject().put("seq", 2)),
          message(Addresses.LIST_CHANGED, new JsonObject().put("seq", 3)));
    }); EbClient client = EbClient.connect(bridge.host(), bridge.port())) {
      int count = client.tail(List.of(Addresses.LIST_CHANGED), 2, 0, () -> order.add("ready"), m -> {
        order.add("message");
        received.add(m);
      });
      assertThat(count).isEqualTo(2);
    }
    assertThat(order).containsExactly("ready", "message", "message");
    assertThat(received).extracting(Received::address).containsOnly(Addresses.LIST_CHANGED);
    assertThat(received).extracting(m -> ((JsonObject) m.body()).getInteger("seq")).containsExactly(1, 2);
  }

  @Test
  void aPeerThatHangsUpOnThePingIsNotTheBridge() throws Exception {
    try (FakeBridge bridge = new FakeBridge(peer -> peer.next())) {
      EbFailure f = catchThrowableOfType(EbFailure.class, () -> EbClient.connect(bridge.host(), bridge.port()));
      assertThat(f.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(f.getMessage()).contains("is not the event-bus bridge");
    }
  }

  /** A bridge at bridge.maxConnections is there, and says so: it was reported as "not the event-bus bridge". */
  @Test
  void aFullBridgeIsSaidToBeFull() throws Exception {
    try (FakeBridge bridge = new FakeBridge(peer -> {
      peer.next();
      peer.answer(io.concurrencylab.bus.BridgeFrames.refused(io.concurrencylab.bus.BridgeFrames.TOO_MANY_CONNECTIONS,
          null));
    })) {
      EbFailure f = catchThrowableOfType(EbFailure.class, () -> EbClient.connect(bridge.host(), bridge.port()));
      assertThat(f.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(f.getMessage()).isEqualTo("the bridge at " + bridge.host() + ":" + bridge.port() + " is full: it has "
          + "bridge.maxConnections connections (pages, tails, other lab eb); try again once one has closed");
    }
  }

  @Test
  void aClosedPortIsAnUnreachableApp() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    EbFailure f = catchThrowableOfType(EbFailure.class, () -> EbClient.connect("127.0.0.1", port));
    assertThat(f.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(f.getMessage()).contains("launcher/lab serve");
  }
}
