package io.concurrencylab.web;

import io.concurrencylab.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The TCP event-bus bridge that {@code lab eb} talks to: frames of a 4-byte length and UTF-8 JSON, on
 * {@code bridge.host:bridge.port} (127.0.0.1 by default; there is no authentication, so keep it on loopback).
 * Only the public contract passes: requests and events may come in, events may be tailed; replies pass anyway.
 * A failed bind fails the deployment.
 */
public final class BridgeVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private TcpEventBusBridge bridge;
  private int actualPort;

  public BridgeVerticle(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The allow-lists, built from {@link Addresses} alone so the bridge and the contract cannot drift apart. */
  static BridgeOptions permissions() {
    BridgeOptions options = new BridgeOptions();
    Addresses.PUBLIC_REQUESTS.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
    Addresses.PUBLIC_EVENTS.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
    Addresses.PUBLIC_EVENTS.forEach(a -> options.addOutboundPermitted(new PermittedOptions().setAddress(a)));
    return options;
  }

  @Override
  public Future<?> start() {
    bridge = TcpEventBusBridge.create(vertx, permissions());
    // The bridge does not expose the port it bound, so port 0 ("any free port") is resolved here, before binding.
    Future<Integer> bindPort = port != 0 ? Future.succeededFuture(port) : vertx.executeBlocking(() -> freePort(host));
    return bindPort.compose(p -> bridge.listen(p, host).onSuccess(b -> actualPort = p));
  }

  @Override
  public Future<?> stop() {
    return bridge.close();
  }

  /** The port it listens on (useful when configured as 0). */
  public int actualPort() {
    return actualPort;
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return probe.getLocalPort();
    }
  }
}
