package io.concurrencylab.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lesson's Q5 (safe data sharing), the Vert.x tools inside one process, each shown working. The clustered
 * ones (AsyncMap, Counter, Lock across processes) are in {@link Q5ClusterSharingIT}. docs/guide.md points here.
 */
class Q5SharingTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** Like a Queue with several consumers: send delivers each message to exactly one of them. */
  @Test
  void sendGivesEachMessageToOneConsumer() throws Exception {
    Map<String, AtomicInteger> got = new ConcurrentHashMap<>();
    List<Object> all = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(100);
    for (String name : List.of("a", "b")) {
      got.put(name, new AtomicInteger());
      vertx.eventBus().consumer("q5.work", m -> {
        got.get(name).incrementAndGet();
        all.add(m.body());
        done.countDown();
      }).completion().await();
    }
    for (int i = 0; i < 100; i++) {
      vertx.eventBus().send("q5.work", i);
    }
    assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(all).hasSize(100).doesNotHaveDuplicates();
    assertThat(got.get("a").get()).isPositive();
    assertThat(got.get("b").get()).isPositive();
  }

  /** Like an Event (or a broadcast): publish delivers each message to every subscriber. */
  @Test
  void publishGivesEachMessageToEverySubscriber() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(3);
    for (String name : List.of("a", "b", "c")) {
      vertx.eventBus().<String>consumer("q5.news", m -> {
        got.add(name + ":" + m.body());
        done.countDown();
      }).completion().await();
    }
    vertx.eventBus().publish("q5.news", "hello");
    assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(got).containsExactlyInAnyOrder("a:hello", "b:hello", "c:hello");
  }

  /** Like a Pipe with an answer: request/reply, where the reply or a failure always comes back. */
  @Test
  void requestGetsOneAnswer() {
    vertx.eventBus().<Integer>consumer("q5.double", m -> m.reply(m.body() * 2)).completion().await();
    assertThat(vertx.eventBus().<Integer>request("q5.double", 21).await().body()).isEqualTo(42);
  }

  /**
   * Like a Manager's dict inside one process: a LocalMap shared by verticles on different threads. What comes out
   * is a copy (or immutable), so no two threads ever hold the same mutable object.
   */
  @Test
  void aLocalMapIsSharedByVerticlesButWhatComesOutIsACopy() {
    LocalMap<String, JsonObject> map = vertx.sharedData().getLocalMap("q5.settings");
    map.put("config", new JsonObject().put("speed", 1));
    String[] seen = new String[1];
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        JsonObject mine = vertx.sharedData().<String, JsonObject>getLocalMap("q5.settings").get("config");
        mine.put("speed", 99); // changes this verticle's copy only
        seen[0] = mine.encode() + " on " + Thread.currentThread().getName();
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await();
    assertThat(seen[0]).startsWith("{\"speed\":99} on vert.x-worker-thread");
    assertThat(map.get("config").getInteger("speed")).isEqualTo(1);
  }

  /** Like a Value with its Lock inside one process: a Counter incremented from many threads loses nothing. */
  @Test
  void aLocalCounterLosesNoIncrement() throws Exception {
    List<Future<Long>> all = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 250; i++) {
          all.add(vertx.sharedData().getLocalCounter("q5.hits").compose(c -> c.incrementAndGet()));
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    Future.all(new ArrayList<>(all)).await();
    assertThat(all.stream().map(Future::result).distinct().count()).as("every increment saw its own value").isEqualTo(1000);
    assertThat(vertx.sharedData().getLocalCounter("q5.hits").await().get().await()).isEqualTo(1000);
  }
}
