package io.concurrencylab.web;

import io.concurrencylab.bus.LabException;
import io.concurrencylab.config.AccessToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * With an access token configured ({@link AccessToken}), every route but {@code /health} and {@code /login} asks
 * for it: {@code Authorization: Bearer <token>} (curl, scripts) or the {@code lab_token} cookie that
 * {@code POST /login} sets for a browser (an EventSource cannot send headers). A missing or wrong token is a JSON
 * 401; the page itself sends a browser to the login form. Without a token (the default, on loopback) it lets all
 * through: {@code serve} refuses to listen beyond loopback without one.
 */
final class AccessGuard {
  static final String COOKIE = "lab_token";
  private static final int MAX_LOGIN_BYTES = 1024;
  private final AccessToken token;

  AccessGuard(AccessToken token) {
    this.token = token;
  }

  void check(RoutingContext ctx) {
    String path = ctx.request().path();
    if (token == null || path.equals("/health") || path.equals("/health/") || path.equals("/login") || path.equals("/app.css")) {
      ctx.next();
      return;
    }
    String presented = presented(ctx);
    if (token.matches(presented)) {
      ctx.next();
    } else if (path.equals("/") && "GET".equals(ctx.request().method().name())) {
      ctx.redirect("/login");
    } else {
      ctx.fail(new LabException(401, (presented == null ? "an access token is needed" : "that is not the access token")
          + ": Authorization: Bearer <token>, or log in at /login"));
    }
  }

  private static String presented(RoutingContext ctx) {
    String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).strip();
    }
    Cookie cookie = ctx.request().getCookie(COOKIE);
    return cookie == null ? null : cookie.getValue();
  }

  /** {@code GET /login}: the form; {@code POST /login} (form-encoded {@code token=...}): the cookie, or a 401. */
  void login(RoutingContext ctx) {
    if (token == null) {
      ctx.redirect("/");
      return;
    }
    if (!"POST".equals(ctx.request().method().name())) {
      form(ctx, 200, "");
      return;
    }
    Buffer body = Buffer.buffer();
    ctx.request().handler(chunk -> {
      if (body.length() + chunk.length() <= MAX_LOGIN_BYTES) {
        body.appendBuffer(chunk);
      }
    }).endHandler(v -> {
      String given = null;
      for (String pair : body.toString(StandardCharsets.UTF_8).split("&")) {
        if (pair.startsWith("token=")) {
          given = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8).strip();
        }
      }
      if (token.matches(given)) {
        ctx.response().addCookie(Cookie.cookie(COOKIE, given).setHttpOnly(true).setPath("/")
            .setSameSite(CookieSameSite.STRICT));
        ctx.redirect("/");
      } else {
        form(ctx, 401, "<p class=error>That is not the token.</p>");
      }
    }).resume();
  }

  private static void form(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .end("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>concurrency-lab · log in</title>"
            + "<link rel=stylesheet href=/app.css></head><body><main><section class=panel><h2>concurrency-lab</h2>"
            + "<p>This serve asks for its access token (auth.tokenFile or LAB_AUTH_TOKEN on the machine it runs on)."
            + "</p>" + message + "<form method=post action=/login class=controls><input type=password name=token "
            + "autocomplete=current-password aria-label=token><button type=submit>Log in</button></form></section>"
            + "</main></body></html>");
  }
}
