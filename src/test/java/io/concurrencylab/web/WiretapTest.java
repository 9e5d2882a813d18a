package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.FactorialMessages.Result;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.WebMessages.Tap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptors: public addresses only, replies and failures paired with their request, short bodies. */
class WiretapTest {
  private Vertx vertx;
  private Wiretap wiretap;
  private final LinkedBlockingQueue<Tap> taps = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    wiretap = new Wiretap(taps::add);
    vertx.deployVerticle(wiretap).await();
    wiretap.listening(true).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private Tap next() throws InterruptedException {
    // taps past the rate budget are dropped (and counted): skip the notes about it
    Tap tap;
    do {
      tap = nextAny();
    } while ("dropped".equals(tap.kind()));
    return tap;
  }

  private Tap nextAny() throws InterruptedException {
    Tap tap = taps.poll(5, TimeUnit.SECONDS);
    assertThat(tap).as("a tap").isNotNull();
    return tap;
  }

  @Test
  void aRequestAndItsReplyAreTappedUnderThePublicAddress() throws Exception {
    vertx.eventBus().consumer(Addresses.LIST_ADD, m -> m.reply(new JsonObject().put("added", 5).put("size", 1)))
        .completion().await();
    vertx.eventBus().request(Addresses.LIST_ADD, 5).await();
    Tap request = next();
    assertThat(request.kind()).isEqualTo("request");
    assertThat(request.address()).isEqualTo(Addresses.LIST_ADD);
    assertThat(request.body()).isEqualTo("5");
    assertThat(request.dir()).isEqualTo("out");
    Tap reply = next();
    assertThat(reply.kind()).isEqualTo("reply");
    assertThat(reply.address()).isEqualTo(Addresses.LIST_ADD);
    assertThat(reply.body()).isEqualTo("{\"added\":5,\"size\":1}");
  }

  /** Requests whose replies never come (their callers time out) cannot grow the wiretap's memory without bound. */
  @Test
  void requestsWaitingForRepliesAreBounded() throws Exception {
    vertx.eventBus().consumer(Addresses.LIST_ADD, m -> { }).completion().await(); // never answers
    io.vertx.core.eventbus.DeliveryOptions quick = new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(60_000);
    for (int i = 0; i < Wiretap.MAX_PENDING + 500; i++) {
      vertx.eventBus().request(Addresses.LIST_ADD, i, quick);
    }
    assertThat(wiretap.pending()).isEqualTo(Wiretap.MAX_PENDING);
    // the oldest make room: a request now still has its reply shown (a map that only refused would lose it)
    vertx.eventBus().consumer(Addresses.LIST_SNAPSHOT, m -> m.reply("fresh")).completion().await();
    long second = System.currentTimeMillis() / 1000; // the burst spent this second's tap budget: wait for the next
    while (System.currentTimeMillis() / 1000 == second) {
      Thread.onSpinWait();
    }
    taps.clear();
    vertx.eventBus().request(Addresses.LIST_SNAPSHOT, null).await();
    Tap reply;
    do {
      reply = next();
    } while (!"reply".equals(reply.kind()));
    assertThat(reply.address()).isEqualTo(Addresses.LIST_SNAPSHOT);
  }

  @Test
  void aFailureReplyShowsItsCode() throws Exception {
    vertx.eventBus().consumer(Addresses.LIST_ADD, m -> m.fail(Failures.CONFLICT, "list is full (capacity 3)"))
        .completion().await();
    vertx.eventBus().request(Addresses.LIST_ADD, 5).otherwiseEmpty().await();
    assertThat(next().kind()).isEqualTo("request");
    Tap failure = next();
    assertThat(failure.kind()).isEqualTo("failure");
    assertThat(failure.body()).isEqualTo("409 list is full (capacity 3)");
  }

  @Test
  void internalAddressesAreNeverTapped() throws Exception {
    vertx.eventBus().consumer(Addresses.SQUARES_READY, m -> m.reply("ok")).completion().await();
    vertx.eventBus().request(Addresses.SQUARES_READY, "node-1").await();
    vertx.eventBus().publish(Addresses.squaresNode("n1"), "chunk");
    vertx.eventBus().send("lab.anything.else", "x");
    vertx.eventBus().publish(Addresses.LIST_CHANGED, new JsonObject().put("op", "add"));
    Tap first = next(); // taps are handed over in send order, so an internal one would come before this
    assertThat(first.address()).isEqualTo(Addresses.LIST_CHANGED);
    assertThat(first.kind()).isEqualTo("publish");
    assertThat(taps).isEmpty();
  }

  @Test
  void aLongFactorialIsCutToItsStartAndLength() throws Exception {
    String digits = "4".repeat(5000);
    vertx.eventBus().consumer(Addresses.FACTORIAL_COMPUTE,
        m -> m.reply(new Result(2000, digits, 5000, 10, "worker-1").toJson())).completion().await();
    JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.FACTORIAL_COMPUTE, 2000).await().body();
    assertThat(reply.getString("value")).isEqualTo(digits); // the receiver's body is untouched
    next();
    Tap tap = next();
    assertThat(tap.body()).contains("4444444444444444…(5000 digits)").contains("worker-1");
    assertThat(tap.body().length()).isLessThanOrEqualTo(ShortBody.MAX);
  }

  @Test
  void aFailureWithoutAMessageIsReportedByItsRequester() throws Exception {
    wiretap.failed(Addresses.CLUSTER_MEMBERS,
        new ReplyException(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS, "No handlers for address lab.cluster.members"));
    Tap tap = next();
    assertThat(tap.kind()).isEqualTo("failure");
    assertThat(tap.body()).startsWith("NO_HANDLERS");
    // a recipient's failure is seen by the interceptor already: not reported twice
    wiretap.failed(Addresses.LIST_ADD, new ReplyException(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, 400, "x"));
    assertThat(taps).isEmpty();
  }

  @Test
  void nothingIsTappedWhileNobodyListens() throws Exception {
    wiretap.listening(false).await();
    vertx.eventBus().publish(Addresses.LIST_CHANGED, new JsonObject().put("seq", 1));
    wiretap.listening(true).await();
    vertx.eventBus().publish(Addresses.LIST_CHANGED, new JsonObject().put("seq", 2));
    assertThat(next().body()).contains("\"seq\":2");
    assertThat(taps).isEmpty();
  }

  @Test
  void theBudgetDropsTapsOverTheRateAndSaysHowMany() {
    TapBudget budget = new TapBudget();
    long second = 1_000_000;
    for (int i = 0; i < TapBudget.PER_SECOND; i++) {
      assertThat(budget.take(second)).isZero();
    }
    assertThat(budget.take(second + 10)).isEqualTo(-1);
    assertThat(budget.take(second + 20)).isEqualTo(-1);
    assertThat(budget.take(second + 1000)).isEqualTo(2);
    assertThat(budget.take(second + 1001)).isZero();
  }
}
