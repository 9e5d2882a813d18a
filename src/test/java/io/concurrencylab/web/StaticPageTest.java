package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.web.WebFixture.Reply;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page is served from the jar, works offline, and names only the contract's public addresses. */
class StaticPageTest {
  private WebFixture web;

  @BeforeEach
  void start() {
    web = WebFixture.start();
  }

  @AfterEach
  void stop() {
    web.close();
  }

  @Test
  void servesThePageAndItsFiles() {
    Reply page = web.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("app.js", "app.css", "id=\"list-items\"", "id=\"tap\"");
    assertThat(web.get("/app.js").contentType()).contains("javascript");
    assertThat(web.get("/app.css").contentType()).startsWith("text/css");
    assertThat(page.body()).contains("compare.js", "compare.css", "id=\"compare-panel\"");
    assertThat(web.get("/compare.js").contentType()).contains("javascript");
    assertThat(web.get("/compare.css").contentType()).startsWith("text/css");
  }

  @Test
  void loadsNothingFromElsewhere() {
    for (String file : List.of("/", "/app.js", "/app.css", "/compare.js", "/compare.css")) {
      String text = web.get(file).body().replace("http://www.w3.org/2000/svg", ""); // a namespace, never fetched
      assertThat(text).as(file).doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/")
          .doesNotContain("@import").doesNotContain("fonts.");
    }
  }

  @Test
  void namesOnlyPublicAddressesAndListensToEveryPublicEvent() {
    String js = web.get("/app.js").body() + web.get("/compare.js").body(); // the page's scripts
    Set<String> named = new LinkedHashSet<>();
    Matcher m = Pattern.compile("'(lab\\.[a-z.]+)'").matcher(js);
    while (m.find()) {
      named.add(m.group(1));
    }
    assertThat(named).allMatch(Addresses::isPublic);
    assertThat(named).containsAll(Addresses.PUBLIC_EVENTS).containsAll(Addresses.PUBLIC_REQUESTS);
  }

  @Test
  void sendsHeadersThatKeepThePageToItself() {
    Reply page = web.call(io.vertx.core.http.HttpMethod.GET, "/", null);
    assertThat(page.status()).isEqualTo(200);
    var response = web.client.get(web.port, "127.0.0.1", "/").send().await();
    assertThat(response.getHeader("Content-Security-Policy")).contains("default-src 'self'")
        .as("in no other site's frame").contains("frame-ancestors 'none'");
    assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(response.getHeader("Cache-Control")).as("the page itself may be cached").isNull();
    for (String path : java.util.List.of("/api/list", "/health", "/metrics")) {
      assertThat(web.client.get(web.port, "127.0.0.1", path).send().await().getHeader("Cache-Control")).as(path)
          .isEqualTo("no-store");
    }
  }
}
