package io.concurrencylab.factorial;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.FactorialMessages.Request;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * The front of the factorial pool, on {@code lab.factorial.compute}: checks each request, admits at most
 * {@code factorial.maxInFlight} at once and hands them to the {@link FactorialWorkerVerticle}s in this process. One
 * more is refused at once (503), like a {@code ThreadPoolExecutor} with a bounded queue: CPU-heavy requests never
 * pile up behind the workers, where their callers could only time out. Runs on an event loop: it only counts.
 */
final class FactorialGateVerticle extends VerticleBase {
  /** The workers answer when they are done, however long that takes: the slot is freed then, not at a timeout. */
  private static final DeliveryOptions TO_WORKERS = new DeliveryOptions().setLocalOnly(true).setSendTimeout(600_000);
  private final int maxN;
  private final int maxInFlight;
  private int inFlight;

  FactorialGateVerticle(int maxN, int maxInFlight) {
    this.maxN = maxN;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public Future<?> start() {
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // failures carry where and how they happened
    return vertx.eventBus().consumer(Addresses.FACTORIAL_COMPUTE, this::admit).completion();
  }

  private void admit(Message<Object> msg) {
    Request request;
    try {
      request = Request.fromBody(msg.body(), maxN);
      if (inFlight >= maxInFlight) {
        throw new LabException(Failures.NOT_READY, "busy: " + inFlight + " factorials in flight, the most "
            + "factorial.maxInFlight allows; try again when one is done");
      }
    } catch (LabException e) {
      Failures.reply(msg, e);
      return;
    }
    inFlight++;
    vertx.eventBus().request(Addresses.FACTORIAL_WORK, request.n(), TO_WORKERS).onComplete(done -> {
      inFlight--;
      if (done.succeeded()) {
        msg.reply(done.result().body());
      } else {
        Failures.reply(msg, done.cause());
      }
    });
  }
}
