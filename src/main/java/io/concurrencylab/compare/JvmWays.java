package io.concurrencylab.compare;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.CompareMessages.Task;
import io.concurrencylab.bus.CompareMessages.Workload;
import io.concurrencylab.bus.Failures;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's ways in this process, on a Vert.x of their own with a single event loop (so "the event loop" is one
 * thread, and the probe shares it):
 * <ul>
 *   <li>{@link #SEQUENTIAL}: one worker verticle on a pool of one thread: the tasks one after another;
 *   <li>{@link #LOOP}: one event-loop verticle: I/O through a non-blocking client, all tasks waiting at once; CPU
 *       tasks run right on the loop, to show what that costs;
 *   <li>{@link #WORKERS}: K worker verticle instances on a pool of K threads (the event bus hands each instance every
 *       K-th task), doing blocking I/O or computing.
 * </ul>
 * Every way gets all M tasks at once and is timed until the last reply.
 */
final class JvmWays implements AutoCloseable {
  static final String SEQUENTIAL = "sequential";
  static final String LOOP = "event-loop";
  static final String WORKERS = "workers";
  /** Long enough for the slowest run the request bounds allow (64 sequential waits of 2 s). */
  private static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(600_000).setLocalOnly(true);

  private final Vertx vertx;
  private final LoopProbe probe;

  private JvmWays(Vertx vertx, LoopProbe probe) {
    this.vertx = vertx;
    this.probe = probe;
  }

  /** Deploys the three ways with {@code threads} workers (blocking: from a plain thread). */
  static JvmWays start(int threads, long probePeriodMs) {
    // Blocking this loop with CPU tasks is the experiment: no blocked-thread warnings for it.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setMaxEventLoopExecuteTime(10).setMaxEventLoopExecuteTimeUnit(TimeUnit.MINUTES));
    LoopProbe probe = new LoopProbe(probePeriodMs);
    try {
      vertx.deployVerticle(() -> new TaskWorker(SEQUENTIAL), workers("lab-compare-sequential", 1))
          .compose(id -> vertx.deployVerticle(() -> new TaskWorker(WORKERS), workers("lab-compare-workers", threads)))
          .compose(id -> vertx.deployVerticle(new LoopWay()))
          .compose(id -> vertx.deployVerticle(probe))
          .await();
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    return new JvmWays(vertx, probe);
  }

  private static DeploymentOptions workers(String pool, int threads) {
    return new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(threads)
        .setWorkerPoolName(pool).setWorkerPoolSize(threads).setMaxWorkerExecuteTime(10)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES);
  }

  LoopProbe probe() {
    return probe;
  }

  /** Sends every task to {@code way} at once; completes with the results in task order once all have replied. */
  Future<List<String>> run(String way, List<Task> tasks) {
    List<Future<Message<String>>> replies = new ArrayList<>();
    for (Task task : tasks) {
      replies.add(vertx.eventBus().request(Addresses.compareWay(way), task.toJson(), SEND));
    }
    return Future.all(replies).map(all -> {
      List<String> results = new ArrayList<>();
      replies.forEach(r -> results.add(r.result().body()));
      return results;
    });
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  /** A worker verticle instance: takes one task at a time and runs it on its worker thread, blocking. */
  private static final class TaskWorker extends VerticleBase {
    private final String way;

    TaskWorker(String way) {
      this.way = way;
    }

    @Override
    public Future<?> start() {
      return vertx.eventBus().<JsonObject>localConsumer(Addresses.compareWay(way), msg -> {
        try {
          msg.reply(Tasks.run(Task.fromJson(msg.body())));
        } catch (IOException | RuntimeException e) {
          Failures.reply(msg, e);
        }
      }).completion();
    }
  }

  /** The event-loop way: never waits on I/O (a non-blocking client), but computes right here, on the loop. */
  private static final class LoopWay extends VerticleBase {
    private NetClient client;

    @Override
    public Future<?> start() {
      client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(Tasks.IO_TIMEOUT_MS));
      return vertx.eventBus().<JsonObject>localConsumer(Addresses.compareWay(LOOP), msg -> {
        Task task = Task.fromJson(msg.body());
        if (task.workload() == Workload.CPU) {
          try {
            msg.reply(Tasks.run(task)); // blocks this event loop for the whole task: the point of the row
          } catch (IOException | RuntimeException e) {
            Failures.reply(msg, e);
          }
          return;
        }
        fetch(task).onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(ar.result());
          } else {
            Failures.reply(msg, ar.cause());
          }
        });
      }).completion();
    }

    /** The same bytes as {@link Tasks#fetch}, without blocking: the loop serves other tasks while this one waits. */
    private Future<String> fetch(Task task) {
      return client.connect(task.port(), task.host()).compose(socket -> {
        Buffer reply = Buffer.buffer();
        Promise<String> done = Promise.promise();
        socket.handler(reply::appendBuffer);
        socket.exceptionHandler(done::tryFail);
        socket.endHandler(v -> {
          try {
            done.tryComplete(Tasks.body(reply.getBytes()));
          } catch (IOException e) {
            done.tryFail(e);
          }
        });
        return socket.write(Buffer.buffer(Tasks.request(task.index()))).compose(v -> done.future());
      }).timeout(Tasks.IO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }
}
