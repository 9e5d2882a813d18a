package io.concurrencylab.web;

import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.LabException;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/**
 * What keeps other web sites out, although the server runs on the user's own machine, where any page the user
 * visits can send requests to it:
 * <ol>
 *   <li>{@link #host}, in front of every route: the {@code Host} header must name this server, as the address it is
 *       bound to (127.0.0.1, localhost, [::1], or the configured {@code http.host}) with its port, or a name in
 *       {@code http.allowedHosts}. A DNS-rebinding page (its own name, resolving to 127.0.0.1) sends its own name as
 *       Host, so it is refused before anything else, reads included. Comparing Origin with Host would not catch it:
 *       after rebinding both name the attacker's site.</li>
 *   <li>{@link #sameSite}, in front of the API and the event stream (everything that changes state or costs CPU):
 *       a browser request from another page is refused, whatever its method. Browsers say where a request comes
 *       from in {@code Sec-Fetch-Site} (on every request, {@code <img>} and no-cors fetches included) and in
 *       {@code Origin} (on cross-origin fetches and every POST); both must say "this site". curl sends neither and
 *       is not affected.</li>
 * </ol>
 * A refusal is a JSON 403 that names the rule and the setting.
 */
final class HostGuard {
  private final Set<String> boundNames;
  private final List<String> allowed;
  private final IntSupplier port;

  /**
   * @param httpHost the configured bind address ({@code http.host})
   * @param allowedHosts {@code http.allowedHosts}: {@code name} (any port) or {@code name:port}
   * @param port the port the server actually listens on (known once it listens)
   */
  HostGuard(String httpHost, List<String> allowedHosts, IntSupplier port) {
    this.boundNames = boundNames(httpHost);
    this.allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.port = port;
  }

  void host(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    String target = ctx.request().uri();
    if (authority == null) {
      ctx.fail(new LabException(400, "a Host header is required"));
    } else if (ctx.request().headers().getAll("Host").size() > 1) { // which one would count? (RFC 9112: 400)
      ctx.fail(new LabException(400, "more than one Host header"));
    } else if (target == null || !target.startsWith("/")) { // a proxy's form (http://other/...): its name unchecked
      ctx.fail(new LabException(400, "the request target must be a path (/...), as a browser sends it to a server"));
    } else if (!allowed(authority)) {
      ctx.fail(new LabException(403, "Host " + Bodies.show(authority.host() + portSuffix(authority.port()))
          + " is not this server: use " + String.join(", ", names()) + ", or add the name to http.allowedHosts"));
    } else {
      ctx.next();
    }
  }

  void sameSite(RoutingContext ctx) {
    for (String name : List.of("Sec-Fetch-Site", "Origin")) { // a browser sends one: which would count?
      if (ctx.request().headers().getAll(name).size() > 1) {
        ctx.fail(new LabException(400, "more than one " + name + " header"));
        return;
      }
    }
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      ctx.fail(new LabException(403, "cross-site request refused (Sec-Fetch-Site: " + Bodies.cut(site, 20)
          + "): only this server's own page may use the API"));
      return;
    }
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !sameOrigin(origin, ctx.request().authority())) {
      ctx.fail(new LabException(403, "cross-origin request refused (Origin: " + Bodies.cut(origin, 60)
          + "): only this server's own page may use the API"));
      return;
    }
    ctx.next();
  }

  private boolean allowed(HostAndPort authority) {
    String host = bare(authority.host());
    int requestPort = authority.port() < 0 ? 80 : authority.port();
    if (boundNames.contains(host) && requestPort == port.getAsInt()) {
      return true;
    }
    for (String entry : allowed) {
      if (entry.equals(host) || entry.equals(host + ":" + requestPort)
          || entry.equals("[" + host + "]:" + requestPort)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The Origin names the very scheme, host and port this request was sent to (the Host, already checked). This
   * server speaks plain HTTP, so an {@code https} page is this site only behind a TLS proxy: when the Host is one of
   * {@code http.allowedHosts}, whose default port is then 443.
   */
  private boolean sameOrigin(String origin, HostAndPort authority) {
    try {
      URI uri = URI.create(origin); // "null" (a sandboxed or file: page) has no host, so it is refused
      int defaultPort = switch (String.valueOf(uri.getScheme())) {
        case "http" -> 80;
        case "https" -> proxied(authority) ? 443 : -1;
        default -> -1;
      };
      return defaultPort > 0 && uri.getHost() != null && bare(uri.getHost()).equals(bare(authority.host()))
          && (uri.getPort() < 0 ? defaultPort : uri.getPort())
              == (authority.port() < 0 ? defaultPort : authority.port());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the Host is a name of {@code http.allowedHosts} (a proxy in front), not one this server is bound to. */
  private boolean proxied(HostAndPort authority) {
    String host = bare(authority.host());
    return allowed.stream().anyMatch(entry -> entry.equals(host) || entry.startsWith(host + ":")
        || entry.startsWith("[" + host + "]:"));
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    boundNames.forEach(n -> names.add((n.contains(":") ? "[" + n + "]" : n) + ":" + port.getAsInt()));
    return names;
  }

  /**
   * The names of the bound address: loopback's always (the server is reached on them when it binds them, and
   * binding elsewhere still leaves the user's own browser on this machine), the bind address itself, and for a
   * wildcard bind every address of this machine's interfaces.
   */
  private static Set<String> boundNames(String httpHost) {
    Set<String> names = new TreeSet<>(List.of("127.0.0.1", "localhost", "::1"));
    String host = bare(httpHost);
    if (host.equals("0.0.0.0") || host.equals("::")) {
      try {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress address : Collections.list(nif.getInetAddresses())) {
            names.add(bare(address instanceof Inet6Address v6 ? v6.getHostAddress().replaceFirst("%.*$", "")
                : address.getHostAddress()));
          }
        }
      } catch (SocketException e) {
        // loopback names only: a browser elsewhere is then refused, never let in by mistake
      }
    } else {
      names.add(host);
    }
    return names;
  }

  private static String bare(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private static String portSuffix(int port) {
    return port < 0 ? "" : ":" + port;
  }
}
