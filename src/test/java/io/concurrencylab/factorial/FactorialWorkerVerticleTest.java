package io.concurrencylab.factorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.FactorialMessages.Load;
import io.concurrencylab.bus.FactorialMessages.Result;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.testing.EventLoopWatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FactorialWorkerVerticleTest {
  static final int BOUND = 100_000;
  /** Short, so a failure that went unanswered shows up as a TIMEOUT quickly instead of passing as slow. */
  static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(10_000);
  private EventLoopWatch watch;
  private Vertx vertx;

  @BeforeEach
  void start() {
    watch = new EventLoopWatch();
    vertx = watch.vertx();
  }

  @AfterEach
  void stop() {
    List<String> blocked = watch.blocked();
    watch.close();
    assertThat(blocked).as("no event loop was blocked").isEmpty();
  }

  private Result compute(Object body) {
    return Result.fromJson(vertx.eventBus().<JsonObject>request(Addresses.FACTORIAL_COMPUTE, body, QUICK).await().body());
  }

  @Test
  void computesOnWorkerThreadsUpToTheBound() {
    FactorialWorkerVerticle.deploy(vertx, 2, BOUND).await();
    Result twenty = compute(new JsonObject().put("n", 20));
    assertThat(twenty.value()).isEqualTo("2432902008176640000");
    assertThat(twenty.digits()).isEqualTo(19);
    assertThat(twenty.thread()).contains("worker");

    Result atBound = compute(BOUND);
    assertThat(atBound.digits()).isEqualTo(456_574);
    assertThat(new BigInteger(atBound.value())).isEqualTo(Factorials.naive(BOUND));
  }

  @Test
  void theBatchOfTenAllCompleteOnWorkerThreads() {
    FactorialWorkerVerticle.deploy(vertx, 2, BOUND).await();
    List<Future<Result>> all = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      all.add(vertx.eventBus().<JsonObject>request(Addresses.FACTORIAL_COMPUTE, n, QUICK)
          .map(m -> Result.fromJson(m.body())));
    }
    Future.all(all).await();
    assertThat(all).extracting(f -> f.result().value())
        .containsExactly("1", "2", "6", "24", "120", "720", "5040", "40320", "362880", "3628800");
    assertThat(all).extracting(f -> f.result().thread()).allMatch(t -> t.contains("worker"), "a worker thread");
  }

  /**
   * factorial.instances bounds the threads that compute: never more than that many at once, whatever is asked (the
   * maths starts no thread of its own), and the thread a reply names is the one that did the work.
   */
  @Test
  void theInstancesBoundTheThreadsThatComputeAndEachReplyNamesItsThread() {
    java.util.concurrent.atomic.AtomicInteger computing = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    java.util.Map<Integer, String> computedOn = new java.util.concurrent.ConcurrentHashMap<>();
    FactorialWorkerVerticle.deploy(vertx, 2, BOUND, n -> {
      most.accumulateAndGet(computing.incrementAndGet(), Math::max);
      try {
        computedOn.put(n, Thread.currentThread().getName());
        return Factorials.factorial(n); // ms each: the eight overlap
      } finally {
        computing.decrementAndGet();
      }
    }).await();
    List<Future<Result>> all = new ArrayList<>();
    for (int n = 20_000; n < 20_008; n++) {
      all.add(vertx.eventBus().<JsonObject>request(Addresses.FACTORIAL_COMPUTE, n, QUICK)
          .map(m -> Result.fromJson(m.body())));
    }
    Future.all(all).await();
    assertThat(most.get()).as("threads computing at once").isBetween(1, 2);
    assertThat(all).allSatisfy(f -> assertThat(f.result().thread()).isEqualTo(computedOn.get(f.result().n()))
        .startsWith(FactorialWorkerVerticle.POOL));
    assertThat(all.stream().map(f -> f.result().thread()).distinct()).as("threads used").hasSizeBetween(1, 2);
  }

  static List<Object> refused() {
    return List.of(-1, BOUND + 1, new JsonObject().put("n", -5), 2.5, "10", new JsonObject().put("m", 3),
        new JsonObject().put("n", 1e9), Long.MAX_VALUE);
  }

  @ParameterizedTest
  @MethodSource("refused")
  void badInputIsA400FailureReply(Object body) {
    FactorialWorkerVerticle.deploy(vertx, 1, BOUND).await();
    assertThatThrownBy(() -> compute(body)).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(e.failureCode()).isEqualTo(Failures.BAD_INPUT);
    });
  }

  @Test
  void aWholeNumberTooBigForALongIsRefusedAsOverTheBound() {
    FactorialWorkerVerticle.deploy(vertx, 1, BOUND).await();
    assertThatThrownBy(() -> compute(1e20)).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).isEqualTo(Failures.BAD_INPUT);
      assertThat(e.getMessage()).isEqualTo("n must be at most 100000 (factorial.maxN), got 100000000000000000000");
    });
  }

  @Test
  void aFailingTaskIsAFailureReplyAndTheWorkerKeepsServing() {
    IntFunction<BigInteger> failsOn13 = n -> {
      if (n == 13) {
        throw new ArithmeticException("unlucky");
      }
      return Factorials.factorial(n);
    };
    // one instance: the same worker must answer after its failure
    FactorialWorkerVerticle.deploy(vertx, 1, BOUND, failsOn13).await();
    assertThatThrownBy(() -> compute(13)).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureType()).as("a failure reply, not a timeout").isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(e.failureCode()).isEqualTo(Failures.UNEXPECTED);
      assertThat(e.getMessage()).contains("ArithmeticException").contains("unlucky");
      // and where and how it failed, as Python's RemoteTraceback tells it
      assertThat(e).isInstanceOfSatisfying(io.concurrencylab.bus.RemoteFailure.class, remote -> {
        assertThat(remote.origin().getString("type")).isEqualTo("java.lang.ArithmeticException");
        assertThat(remote.origin().getString("thread")).contains("worker");
        assertThat(remote.origin().getLong("pid")).isEqualTo(ProcessHandle.current().pid());
        assertThat(remote.origin().getJsonArray("stack").getString(0)).contains("FactorialWorkerVerticleTest");
      });
    });
    assertThat(compute(14).value()).isEqualTo("87178291200");
  }

  @Test
  void requestsBeyondTheBoundInFlightAre503AtOnceNotQueued() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    FactorialWorkerVerticle.deploy(vertx, 1, BOUND, 2, n -> {
      try {
        release.await(); // holds the worker, as a large n would
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Factorials.factorial(n);
    }).await();
    Future<?> first = vertx.eventBus().request(Addresses.FACTORIAL_COMPUTE, 5, QUICK);
    Future<?> second = vertx.eventBus().request(Addresses.FACTORIAL_COMPUTE, 6, QUICK);
    // the third is answered while the first two are still held: refused at once, not queued behind them
    assertThatThrownBy(() -> compute(7)).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(e.failureCode()).isEqualTo(Failures.NOT_READY);
      assertThat(e.getMessage()).contains("factorial.maxInFlight");
    });
    assertThat(first.isComplete()).isFalse();
    // how loaded the pool is, answered by the gate while both workers' slots are held (/health asks this)
    Load held = load();
    assertThat(held.inFlight()).isEqualTo(2);
    assertThat(held.maxInFlight()).isEqualTo(2);
    assertThat(held.stuck()).isFalse(); // busy for moments only
    long heldFor = held.sinceProgressMs();
    while (load().sinceProgressMs() <= heldFor) { // the clock of a pool that answers nothing runs on
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    release.countDown();
    Future.all(first, second).await();
    assertThat(compute(8).value()).as("the slots are free again").isEqualTo("40320");
    assertThat(load().inFlight()).isZero();
  }

  private Load load() {
    return Load.fromJson((io.vertx.core.json.JsonObject) vertx.eventBus()
        .request(Addresses.FACTORIAL_LOAD, null, QUICK).await().body());
  }

  /** /health's rule: a full pool is busy; a busy pool that answers nothing for 30 s is stuck; an idle one never. */
  @Test
  void aPoolIsStuckOnlyWhenBusyAndNothingIsAnsweredForLong() {
    assertThat(new Load(32, 32, 5_000).stuck()).isFalse();
    assertThat(new Load(1, 32, Load.STUCK_AFTER_MS + 1).stuck()).isTrue();
    assertThat(new Load(0, 32, Load.STUCK_AFTER_MS * 10).stuck()).as("idle").isFalse();
  }

  @Test
  void anErrorIsAFailureReplyToo() {
    FactorialWorkerVerticle.deploy(vertx, 1, BOUND, n -> {
      throw new OutOfMemoryError("simulated");
    }).await();
    assertThatThrownBy(() -> compute(5)).isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureCode()).isEqualTo(Failures.UNEXPECTED));
  }
}
