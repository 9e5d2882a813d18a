package io.concurrencylab.bench;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.list.ListOwnerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * List-owner request/reply throughput, beside a {@code synchronized} ArrayList driven by two threads (the lesson's
 * list + Lock, in Java) and the lesson's own Python ({@code launcher/lesson/list_lock.py}). All three do the same
 * operations: half adds of a counter's value (no random number drawn per add), half removes of the head.
 */
public final class ListBench {
  static final int WINDOW = 256;
  static final double TARGET = 1_000_000;

  private ListBench() {}

  public static void run(Report report, long ops) throws Exception {
    report.title("list: request/reply to the list owner vs synchronized ArrayList");
    double sameLoop = measure(1, ops, false);
    double otherLoop = measure(2, ops, false);
    double replyTo = measure(1, ops, true);
    double owner = Math.max(Math.max(sameLoop, otherLoop), replyTo);
    double baseline = synchronizedList(ops);
    report.figure("list owner, requester on the owner's event loop", Report.opsPerSecond(sameLoop));
    report.figure("list owner, requester on another event loop", Report.opsPerSecond(otherLoop));
    report.figure("list owner, requester on its event loop, answers sent to the requester's address (replyTo)",
        Report.opsPerSecond(replyTo) + " (one message and one answer per operation, no reply registration)");
    report.figure("baseline: synchronized ArrayList, 2 threads", Report.opsPerSecond(baseline));
    Python.lesson("list_lock.py", Long.toString(ops / 2)).ifPresentOrElse(
        py -> report.figure("lesson: Python deque + threading.Lock, adder and remover threads (same operations: "
            + "counter values added, the head removed)", Report.opsPerSecond(py.getDouble("ops_per_s"))
            + String.format(java.util.Locale.ROOT, " (the list owner does %.2fx that)", owner / py.getDouble("ops_per_s"))),
        () -> report.figure("lesson: Python list + threading.Lock", Python.unavailable()));
    // the same design (an owner serving requests, a reply each, WINDOW in flight from one requester), in Python
    for (String mode : new String[] {"thread", "asyncio"}) {
      String what = mode.equals("thread") ? "Python owner thread serving a queue.Queue of requests"
          : "Python asyncio owner task serving an asyncio.Queue";
      Python.lesson("list_owner.py", mode, Long.toString(ops / 10), Integer.toString(WINDOW)).ifPresentOrElse(
          py -> report.figure("same design: " + what + ", " + WINDOW + " in flight",
              Report.opsPerSecond(py.getDouble("ops_per_s")) + String.format(java.util.Locale.ROOT,
                  " (the list owner does %.2fx that)", owner / py.getDouble("ops_per_s"))),
          () -> report.figure("same design: " + what, Python.unavailable()));
    }
    report.verdict("list owner >= 1 M ops/s", owner >= TARGET, "1,000,000 ops/s; moonshot 2,000,000");
  }

  /**
   * The median of 3 runs of {@code ops} requests, {@link #WINDOW} in flight, after a warm-up. With one event loop
   * the requester shares the owner's thread; with two, every request and reply crosses between threads.
   */
  static double measure(int eventLoops, long ops) throws Exception {
    return measure(eventLoops, ops, false);
  }

  /** @param replyTo the answers come to the driver's own address ({@code ListMessages.REPLY_TO}) */
  static double measure(int eventLoops, long ops, boolean replyTo) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    try {
      vertx.deployVerticle(new ListOwnerVerticle(Integer.MAX_VALUE)).await();
      Driver driver = new Driver(replyTo);
      vertx.deployVerticle(driver).await();
      driver.drive(ops / 2); // warm-up: JIT and event-bus paths
      double[] rates = new double[3];
      for (int i = 0; i < rates.length; i++) {
        rates[i] = driver.drive(ops);
      }
      return Report.median(rates);
    } finally {
      vertx.close().await();
    }
  }

  /** Sends adds and removes, alternating, WINDOW in flight, from its own event loop. */
  private static final class Driver extends VerticleBase {
    private final boolean replyTo;
    private io.vertx.core.eventbus.DeliveryOptions add;
    private io.vertx.core.eventbus.DeliveryOptions remove;
    private long ops;
    private long sent;
    private long answered;
    private Promise<Void> done;

    Driver(boolean replyTo) {
      this.replyTo = replyTo;
    }

    @Override
    public Future<?> start() {
      if (!replyTo) {
        return Future.succeededFuture();
      }
      String me = "bench.list.answers." + System.identityHashCode(this);
      add = new io.vertx.core.eventbus.DeliveryOptions().addHeader(io.concurrencylab.bus.ListMessages.REPLY_TO, me)
          .addHeader(io.concurrencylab.bus.ListMessages.CORRELATION, "a");
      remove = new io.vertx.core.eventbus.DeliveryOptions().addHeader(io.concurrencylab.bus.ListMessages.REPLY_TO, me)
          .addHeader(io.concurrencylab.bus.ListMessages.CORRELATION, "r");
      return vertx.eventBus().localConsumer(me, m -> {
        if (m.body() instanceof io.vertx.core.eventbus.ReplyException e) {
          done.tryFail(e);
        } else if (++answered == ops) {
          done.tryComplete();
        } else {
          next();
        }
      }).completion();
    }

    /** ops requests; returns ops/s. */
    double drive(long ops) throws Exception {
      Promise<Void> finished = Promise.promise();
      long start = System.nanoTime();
      context.runOnContext(v -> {
        this.ops = ops;
        sent = 0;
        answered = 0;
        done = finished;
        for (int i = 0; i < WINDOW; i++) {
          next();
        }
      });
      finished.future().await();
      return ops / ((System.nanoTime() - start) / 1e9);
    }

    private void next() {
      if (sent == ops) {
        return;
      }
      long n = sent++;
      if (replyTo) { // the answer comes to this driver's own address, see start()
        if ((n & 1) == 0) {
          vertx.eventBus().send(Addresses.LIST_ADD, n, add);
        } else {
          vertx.eventBus().send(Addresses.LIST_REMOVE, null, remove);
        }
        return;
      }
      Future<?> reply = (n & 1) == 0
          ? vertx.eventBus().request(Addresses.LIST_ADD, n)
          : vertx.eventBus().request(Addresses.LIST_REMOVE, null);
      reply.onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
        } else if (++answered == ops) {
          done.tryComplete();
        } else {
          next();
        }
      });
    }
  }

  /** The same operations on a synchronized ArrayList from two threads; returns ops/s. */
  static double synchronizedList(long ops) throws InterruptedException {
    List<Long> list = new ArrayList<>();
    Runnable work = () -> {
      for (long i = 0; i < ops / 4; i++) {
        synchronized (list) {
          list.add(i);
        }
        synchronized (list) {
          if (!list.isEmpty()) {
            list.remove(0);
          }
        }
      }
    };
    work.run(); // warm-up
    long start = System.nanoTime();
    Thread a = new Thread(work);
    Thread b = new Thread(work);
    a.start();
    b.start();
    a.join();
    b.join();
    return ops / ((System.nanoTime() - start) / 1e9);
  }
}
