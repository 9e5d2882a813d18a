package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ListMessages.Changed;
import io.concurrencylab.bus.ListMessages.Op;
import io.concurrencylab.bus.SquaresMessages.Phase;
import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.WebMessages;
import io.concurrencylab.bus.WebMessages.Tap;
import io.concurrencylab.web.SseClient.Frame;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /events} read by a raw HTTP client: public events and wiretap taps, nothing else. */
class EventStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private WebFixture web;

  @BeforeEach
  void start() {
    web = WebFixture.start();
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private static boolean isWiretap(Frame f) {
    return f.event().equals(WebMessages.WIRETAP_EVENT);
  }

  @Test
  void aListChangeArrivesAsAnEventNamedAfterItsAddress() throws Exception {
    try (SseClient sse = SseClient.open(web.vertx, web.port, "/events")) {
      assertThat(sse.response.statusCode()).isEqualTo(200);
      assertThat(sse.response.getHeader("Content-Type")).startsWith("text/event-stream");
      assertThat(sse.response.getHeader("Cache-Control")).isEqualTo("no-cache");

      web.post("/api/list", "{\"value\": 4242}");

      Frame frame = sse.await(f -> f.event().equals(Addresses.LIST_CHANGED), WAIT);
      Changed changed = Changed.fromJson(frame.json());
      assertThat(changed.op()).isEqualTo(Op.ADD);
      assertThat(changed.value()).isEqualTo(4242L);
      assertThat(changed.size()).isEqualTo(1);
    }
  }

  /** A busy list publishes an event per operation: until a page is opened, nobody here consumes them. */
  @Test
  void theEventsAreConsumedOnlyOnceAClientReadsThem() throws Exception {
    web.post("/api/list", "{\"value\": 4245}");
    assertThat(consumed(Addresses.LIST_CHANGED)).as("no client yet").isFalse();
    try (SseClient sse = SseClient.open(web.vertx, web.port, "/events")) {
      assertThat(consumed(Addresses.LIST_CHANGED)).as("a client reads").isTrue();
      web.post("/api/list", "{\"value\": 4244}");
      assertThat(Changed.fromJson(sse.await(f -> f.event().equals(Addresses.LIST_CHANGED)
          && f.data().contains("4244"), WAIT).json()).value()).isEqualTo(4244L);
    }
  }

  /** Whether anyone consumes {@code address}: a point-to-point send finds no handler, or is taken (not answered). */
  private boolean consumed(String address) {
    try {
      web.vertx.eventBus().request(address, new JsonObject(),
          new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(200)).await();
      return true;
    } catch (io.vertx.core.eventbus.ReplyException e) {
      return e.failureType() != io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS;
    }
  }

  @Test
  void theWiretapShowsTheRequestItsReplyAndThePublishedEvent() throws Exception {
    try (SseClient sse = SseClient.open(web.vertx, web.port, "/events")) {
      web.post("/api/list", "{\"value\": 4243}");
      Tap request = Tap.fromJson(sse.await(f -> isWiretap(f) && f.data().contains("request"), WAIT).json());
      assertThat(request.address()).isEqualTo(Addresses.LIST_ADD);
      assertThat(request.body()).contains("4243");
      assertThat(request.dir()).isEqualTo("out");
      Tap reply = Tap.fromJson(sse.await(f -> isWiretap(f) && f.data().contains("\"reply\""), WAIT).json());
      assertThat(reply.address()).isEqualTo(Addresses.LIST_ADD);
      assertThat(reply.body()).contains("\"added\":4243");
      Tap published = Tap.fromJson(sse.await(f -> isWiretap(f) && f.data().contains("publish"), WAIT).json());
      assertThat(published.address()).isEqualTo(Addresses.LIST_CHANGED);

      // a failure reply, and a request nobody serves
      web.post("/api/list", "\"x\"");
      Tap failure = Tap.fromJson(sse.await(f -> isWiretap(f) && f.data().contains("failure"), WAIT).json());
      assertThat(failure.address()).isEqualTo(Addresses.LIST_ADD);
      assertThat(failure.body()).startsWith("400 not an integer");
      web.get("/api/cluster/members");
      Tap none = Tap.fromJson(sse.await(f -> isWiretap(f) && f.data().contains(Addresses.CLUSTER_MEMBERS)
          && f.data().contains("failure"), WAIT).json());
      assertThat(none.body()).startsWith("NO_HANDLERS");
    }
  }

  @Test
  void onlyPublicAddressesReachTheStream() throws Exception {
    try (SseClient sse = SseClient.open(web.vertx, web.port, "/events")) {
      // internal first, then public: by the time the public one arrives, the internal one would have
      web.vertx.eventBus().publish(Addresses.SQUARES_READY, new JsonObject().put("secret", "internal-1"));
      web.vertx.eventBus().publish(Addresses.squaresNode("n1"), new JsonObject().put("secret", "internal-2"));
      web.vertx.eventBus().publish(Addresses.SQUARES_PROGRESS, new Progress("r-9", 2, Phase.COMPUTE, 3, 10).toJson());

      Frame progress = sse.await(f -> f.event().equals(Addresses.SQUARES_PROGRESS), WAIT);
      assertThat(Progress.fromJson(progress.json())).isEqualTo(new Progress("r-9", 2, Phase.COMPUTE, 3, 10));
      assertThat(sse.seen()).noneMatch(f -> f.data().contains("internal-"));
      assertThat(sse.seen()).allMatch(f -> Addresses.PUBLIC_EVENTS.contains(f.event()) || isWiretap(f));
    }
  }

  @Test
  void wiretapFalseLeavesOnlyTheContractsEvents() throws Exception {
    try (SseClient sse = SseClient.open(web.vertx, web.port, "/events?wiretap=false")) {
      web.post("/api/list", "7");
      web.post("/api/list", "8");
      sse.await(f -> f.event().equals(Addresses.LIST_CHANGED) && Changed.fromJson(f.json()).value() == 8L, WAIT);
      assertThat(sse.seen()).extracting(Frame::event).containsOnly(Addresses.LIST_CHANGED).hasSize(2);
    }
  }

  /** Only true or false, once: "maybe" (or two answers) was taken for true. */
  @Test
  void wiretapIsTrueOrFalse() {
    for (String query : java.util.List.of("wiretap=maybe", "wiretap=", "wiretap=false&wiretap=true")) {
      var refused = web.call(io.vertx.core.http.HttpMethod.GET, "/events?" + query, null);
      assertThat(refused.status()).as(query).isEqualTo(400);
      assertThat(refused.json().getString("error")).as(query).startsWith("wiretap must be true or false");
    }
  }
}
