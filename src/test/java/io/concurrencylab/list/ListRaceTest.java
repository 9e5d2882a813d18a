package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ListMessages.Removed;
import io.concurrencylab.bus.ListMessages.Snapshot;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Race freedom, measured: 8 senders on different event loops and worker threads hammer the owner with 100k adds
 * and 100k removes. Every value is tagged with its sender, so each is unique; afterwards every acknowledged add is
 * either removed exactly once or still in the list, and nothing appears that was never added.
 */
class ListRaceTest {
  static final int SENDERS = 8;
  static final int PER_SENDER = 100_000 / SENDERS; // adds per sender; as many removes
  static final int WINDOW = 32;

  @Test
  void everyAddedValueIsRemovedOnceOrStillThere() {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4).setWorkerPoolSize(4));
    try {
      vertx.deployVerticle(new ListOwnerVerticle(Integer.MAX_VALUE)).await();
      Set<Long> added = ConcurrentHashMap.newKeySet();
      List<Long> removed = java.util.Collections.synchronizedList(new ArrayList<>());
      Set<String> threads = ConcurrentHashMap.newKeySet();
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        Sender sender = new Sender(s, added, removed, threads);
        ThreadingModel model = s % 2 == 0 ? ThreadingModel.EVENT_LOOP : ThreadingModel.WORKER;
        done.add(vertx.deployVerticle(sender, new DeploymentOptions().setThreadingModel(model))
            .compose(id -> sender.finished.future()));
      }
      Future.all(done).await();
      Snapshot last = Snapshot.fromJson(vertx.eventBus().<JsonObject>request(Addresses.LIST_SNAPSHOT, null).await().body());

      assertThat(threads).as("senders ran on event loops and on workers")
          .anyMatch(t -> t.contains("eventloop")).anyMatch(t -> t.contains("worker"));
      assertThat(added).hasSize(SENDERS * PER_SENDER);
      assertThat(new HashSet<>(removed)).as("no value removed twice").hasSize(removed.size());
      Set<Long> accountedFor = new HashSet<>(removed);
      accountedFor.addAll(last.items());
      assertThat(accountedFor.size()).as("removed and remaining do not overlap")
          .isEqualTo(removed.size() + last.size());
      assertThat(accountedFor).as("exactly the values that were added").isEqualTo(added);
      assertThat(last.added()).isEqualTo(added.size());
      assertThat(last.removed()).isEqualTo(removed.size());
    } finally {
      vertx.close().await();
    }
  }

  /** Sends PER_SENDER adds of its own tagged values and PER_SENDER removes, interleaved, WINDOW in flight. */
  static final class Sender extends VerticleBase {
    final Promise<Void> finished = Promise.promise();
    private final int id;
    private final Set<Long> added;
    private final List<Long> removed;
    private final Set<String> threads;
    private int sent;
    private int answered;

    Sender(int id, Set<Long> added, List<Long> removed, Set<String> threads) {
      this.id = id;
      this.added = added;
      this.removed = removed;
      this.threads = threads;
    }

    @Override
    public Future<?> start() {
      for (int i = 0; i < WINDOW; i++) {
        next();
      }
      return Future.succeededFuture();
    }

    private void next() {
      if (sent == 2 * PER_SENDER) {
        return;
      }
      int n = sent++;
      threads.add(Thread.currentThread().getName());
      Future<?> reply;
      if (n % 2 == 0) {
        long value = (long) id * 1_000_000 + n / 2; // unique across senders
        reply = vertx.eventBus().<JsonObject>request(Addresses.LIST_ADD, value).onSuccess(m -> added.add(value));
      } else {
        reply = vertx.eventBus().<JsonObject>request(Addresses.LIST_REMOVE, null).onSuccess(m -> {
          Removed r = Removed.fromJson(m.body());
          if (!r.wasEmpty()) {
            removed.add(r.removed());
          }
        });
      }
      reply.onComplete(ar -> {
        if (ar.failed()) {
          finished.tryFail(ar.cause());
        } else if (++answered == 2 * PER_SENDER) {
          finished.tryComplete();
        } else {
          next();
        }
      });
    }
  }
}
