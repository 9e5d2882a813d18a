package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.WebMessages.Tap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wiretap's inbound side, on a real two-member cluster in this JVM (loopback only, its own cluster name and
 * ports): what arrives from the other member is tapped once, replies are paired in both directions.
 */
class WiretapClusterIT {
  private static final int PORT = 6150; // away from the app's (5701+) and the sweeps' (5801+) clusters
  private final String cluster = "wiretap-it-" + UUID.randomUUID();
  private final LinkedBlockingQueue<Tap> taps = new LinkedBlockingQueue<>();
  private Vertx here;
  private Vertx other;

  private Vertx member() {
    return io.concurrencylab.testing.ClusterMembers.member(cluster, PORT);
  }

  @BeforeEach
  void start() {
    here = member();
    other = member();
    Wiretap wiretap = new Wiretap(taps::add);
    here.deployVerticle(wiretap).await();
    wiretap.listening(true).await();
  }

  @AfterEach
  void stop() {
    List<Vertx> all = new ArrayList<>();
    if (other != null) {
      all.add(other);
    }
    if (here != null) {
      all.add(here);
    }
    all.forEach(v -> v.close().await());
  }

  private Tap next() throws InterruptedException {
    Tap tap = taps.poll(10, TimeUnit.SECONDS);
    assertThat(tap).as("a tap").isNotNull();
    return tap;
  }

  @Test
  void aPublishFromTheOtherMemberIsTappedOnceThoughTwoConsumersGetIt() throws Exception {
    CountDownLatch second = new CountDownLatch(1);
    here.eventBus().<JsonObject>consumer(Addresses.LIST_CHANGED, m -> {
      if (m.body().getInteger("seq") == 2) {
        second.countDown();
      }
    }).completion().await();
    // the Wiretap's own consumer and this one, both registered cluster-wide before the other member publishes
    other.eventBus().publish(Addresses.LIST_CHANGED, new JsonObject().put("seq", 1));
    other.eventBus().publish(Addresses.LIST_CHANGED, new JsonObject().put("seq", 2));

    Tap first = next();
    assertThat(first.dir()).isEqualTo("in");
    assertThat(first.kind()).isEqualTo("publish");
    assertThat(first.body()).contains("\"seq\":1");
    assertThat(next().body()).contains("\"seq\":2");
    // once the other consumer has handled seq 2, every interception of seq 1 and 2 on its context is done
    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(taps).isEmpty();
  }

  @Test
  void aRequestFromTheOtherMemberAndTheReplyFromHere() throws Exception {
    here.eventBus().consumer(Addresses.LIST_ADD, m -> m.reply(new JsonObject().put("added", 3))).completion().await();
    other.eventBus().request(Addresses.LIST_ADD, 3).await();
    Tap request = next();
    assertThat(request).extracting(Tap::dir, Tap::kind, Tap::address, Tap::body)
        .containsExactly("in", "request", Addresses.LIST_ADD, "3");
    assertThat(next()).extracting(Tap::dir, Tap::kind, Tap::address).containsExactly("out", "reply", Addresses.LIST_ADD);
  }

  @Test
  void aRequestFromHereAndTheReplyFromTheOtherMember() throws Exception {
    other.eventBus().consumer(Addresses.FACTORIAL_COMPUTE, m -> m.fail(400, "n must be 0 or more, got -1"))
        .completion().await();
    here.eventBus().request(Addresses.FACTORIAL_COMPUTE, -1).otherwiseEmpty().await();
    assertThat(next()).extracting(Tap::dir, Tap::kind).containsExactly("out", "request");
    Tap failure = next();
    assertThat(failure).extracting(Tap::dir, Tap::kind, Tap::address)
        .containsExactly("in", "failure", Addresses.FACTORIAL_COMPUTE);
    assertThat(failure.body()).isEqualTo("400 n must be 0 or more, got -1");
  }
}
