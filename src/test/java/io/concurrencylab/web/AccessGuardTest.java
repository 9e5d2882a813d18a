package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.config.AccessToken;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.web.RawHttp.Response;
import io.vertx.core.VertxOptions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With an access token: every route but /health and /login asks for it; a browser logs in for a cookie. */
class AccessGuardTest {
  static final String TOKEN = "s3cret-token-of-24-chars";
  private WebFixture web;

  @BeforeEach
  void start() {
    AccessToken token = AccessToken.load(LabConfig.defaults(), Map.of(AccessToken.ENV, TOKEN)).orElseThrow();
    web = WebFixture.start(new VertxOptions(), WebFixture.config(), true, w -> w.withAccessToken(token));
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private Response send(String method, String path, String body, String... headers) throws Exception {
    return RawHttp.exchange(web.port, method, path, body, headers);
  }

  @Test
  void everyRouteButHealthAsksForTheToken() throws Exception {
    for (String path : new String[] {"/api/list", "/events", "/metrics", "/app.js", "/api/factorial/5"}) {
      Response refused = send("GET", path, null);
      assertThat(refused.status()).as(path).isEqualTo(401);
      assertThat(refused.json().getString("error")).startsWith("an access token is needed");
    }
    assertThat(send("POST", "/api/list", "5").status()).isEqualTo(401);
    Response wrong = send("GET", "/api/list", null, "Authorization: Bearer wrong-token-wrong-token");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().getString("error")).as("one was sent").startsWith("that is not the access token");
    assertThat(send("GET", "/api/list", null, "Authorization: Bearer " + TOKEN).status()).isEqualTo(200);
    assertThat(send("GET", "/health", null).status()).isEqualTo(200);
    assertThat(send("GET", "/healthz", null).status()).as("only /health itself is open").isEqualTo(401);
    Response page = send("GET", "/", null);
    assertThat(page.status()).isEqualTo(302);
    assertThat(page.headers().get("location")).isEqualTo("/login");
  }

  @Test
  void aBrowserLogsInOnceAndThenUsesItsCookie() throws Exception {
    assertThat(send("GET", "/login", null).body()).contains("<form method=post action=/login");
    Response wrong = send("POST", "/login", "token=not-it", "Content-Type: application/x-www-form-urlencoded");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.headers()).doesNotContainKey("set-cookie");
    Response right = send("POST", "/login", "token=" + TOKEN, "Content-Type: application/x-www-form-urlencoded");
    assertThat(right.status()).isEqualTo(302);
    String cookie = right.headers().get("set-cookie");
    assertThat(cookie).startsWith(AccessGuard.COOKIE + "=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
    String pair = cookie.substring(0, cookie.indexOf(';'));
    assertThat(send("GET", "/api/list", null, "Cookie: " + pair).status()).isEqualTo(200);
    assertThat(send("GET", "/", null, "Cookie: " + pair).status()).isEqualTo(200);
  }
}
