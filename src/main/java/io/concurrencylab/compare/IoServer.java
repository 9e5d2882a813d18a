package io.concurrencylab.compare;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The far end of the I/O-bound tasks: an HTTP server on 127.0.0.1 (a free port) that answers {@code GET
 * /task/<i>} after {@code delayMs}, with {@link Tasks#expectedReply}. The wait is a timer here, so a task really
 * waits on a socket, as it would on a slow service. It runs on a Vert.x of its own, with one event loop, so no way
 * under test shares a thread with it; the CPU that thread uses is left out of the JVM ways' CPU time.
 */
final class IoServer extends VerticleBase implements AutoCloseable {
  private final long delayMs;
  private final AtomicLong answered = new AtomicLong();
  private Vertx own;
  private HttpServer server;
  private volatile long threadId = -1;

  private IoServer(long delayMs) {
    this.delayMs = delayMs;
  }

  /** Starts a server of its own (blocking: from a plain thread). */
  static IoServer start(long delayMs) {
    IoServer server = new IoServer(delayMs);
    server.own = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      server.own.deployVerticle(server).await();
    } catch (RuntimeException e) {
      server.own.close();
      throw e;
    }
    return server;
  }

  @Override
  public Future<?> start() {
    threadId = Thread.currentThread().getId();
    return vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").onSuccess(s -> server = s);
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (!path.matches("/task/\\d{1,9}")) {
      request.response().setStatusCode(404).end("no such task");
      return;
    }
    int index = Integer.parseInt(path.substring("/task/".length()));
    vertx.setTimer(delayMs, id -> {
      answered.incrementAndGet(); // before end(): a client may read the answer and go before end() completes
      request.response().putHeader("Content-Type", "text/plain").end(Tasks.expectedReply(index));
      // a client that went away meanwhile: end() fails, nothing else to do
    });
  }

  String host() {
    return "127.0.0.1";
  }

  int port() {
    return server.actualPort();
  }

  long delayMs() {
    return delayMs;
  }

  /** Requests answered so far (each after its delay). */
  long answered() {
    return answered.get();
  }

  /** The CPU time of the server's thread (ns), to leave out of the in-process ways' CPU time. */
  long cpuNanos() {
    long t = ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId);
    return Math.max(0, t);
  }

  @Override
  public void close() {
    own.close().await();
  }
}
