package io.concurrencylab.web;

import io.concurrencylab.bus.LabException;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/** The Origin check in front of the API's state-changing routes. */
final class SameOrigin {
  private SameOrigin() {}

  /**
   * Refuses state-changing requests that a browser sends from another site (the server is on localhost, and any
   * page the user visits could post to it). curl sends no Origin header and is not affected.
   */
  static void check(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !sameOrigin(origin, ctx.request().authority())) {
      ctx.fail(new LabException(403, "cross-origin request refused (Origin: " + origin + ")"));
      return;
    }
    ctx.next();
  }

  private static boolean sameOrigin(String origin, HostAndPort authority) {
    try {
      URI uri = URI.create(origin); // "null" (a sandboxed or file: page) has no host, so it is refused
      return authority != null && uri.getHost() != null && uri.getHost().equalsIgnoreCase(authority.host())
          && port(uri.getPort()) == port(authority.port());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int port(int port) {
    return port < 0 ? 80 : port;
  }
}
