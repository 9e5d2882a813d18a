package io.concurrencylab.web;

import io.concurrencylab.bus.BridgeFrames;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * The TCP event-bus bridge that {@code lab eb} talks to, on {@code bridge.host:bridge.port} (127.0.0.1 by default;
 * there is no authentication, so keep it on loopback). The wire protocol is vertx-tcp-eventbus-bridge's
 * ({@link BridgeFrames}); the server is our own, because that module's has no limit on a frame's length (one
 * connection could make it hold gigabytes), buffers without bound for a client that does not read, and leaves a
 * connection open, deaf, after a frame it cannot parse. Each connection is a {@link BridgeSession}; at most
 * {@code bridge.maxConnections} at once. A failed bind fails the deployment.
 */
public final class BridgeVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final int maxConnections;
  private final BridgeSession.Limits limits;
  private NetServer server;
  private int connections;
  private io.concurrencylab.config.AccessToken token;

  public BridgeVerticle(LabConfig config) {
    this.host = config.bridgeHost();
    this.port = config.bridgePort();
    this.maxConnections = config.bridgeMaxConnections();
    this.limits = new BridgeSession.Limits(config.bridgeMaxFrameBytes(), config.bridgeMaxPendingBytes(),
        config.bridgeMaxRequestsInFlight(), config.bridgeFrameTimeoutMs(), config.bridgeIdleTimeoutMs(),
        config.requestTimeoutMs(), config.listFailoverHoldMs());
  }

  /** Every connection then presents this token in its first frame ({@link BridgeSession}). */
  public BridgeVerticle withAccessToken(io.concurrencylab.config.AccessToken token) {
    this.token = token;
    return this;
  }

  @Override
  public Future<?> start() {
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // failures carry where and how they happened
    server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true)).connectHandler(this::connected);
    return server.listen(port, host).recover(e -> PortInUse.explain(e, "bridge.port", host, port));
  }

  private void connected(NetSocket socket) {
    if (connections >= maxConnections) {
      socket.write(BridgeFrames.encode(BridgeFrames.refused(BridgeFrames.TOO_MANY_CONNECTIONS,
          maxConnections + " connections open (bridge.maxConnections)")));
      socket.end();
      return;
    }
    connections++;
    new BridgeSession(vertx, socket, limits, token, () -> connections--);
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  /** The port it listens on (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
