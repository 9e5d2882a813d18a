package io.concurrencylab.factorial;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.FactorialMessages;
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
 *
 * <p>The hand-off is one message, not a request of its own: the worker that takes it answers the caller directly and
 * frees the slot ({@link Admission}), so a small factorial crosses two threads (here, a worker), not four.
 */
final class FactorialGateVerticle extends VerticleBase {
  private final int maxN;
  private final Admission admission;
  private final DeliveryOptions toWorkers = new DeliveryOptions().setLocalOnly(true).setCodecName(Work.CODEC);

  FactorialGateVerticle(int maxN, Admission admission) {
    this.maxN = maxN;
    this.admission = admission;
  }

  @Override
  public Future<?> start() {
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // failures carry where and how they happened
    vertx.eventBus().<Void>localConsumer(Addresses.FACTORIAL_LOAD, msg -> msg.reply(
        new FactorialMessages.Load(admission.inFlight(), admission.limit(), admission.sinceProgressMs()).toJson()));
    return vertx.eventBus().consumer(Addresses.FACTORIAL_COMPUTE, this::admit).completion();
  }

  private void admit(Message<Object> msg) {
    Request request;
    try {
      request = Request.fromBody(msg.body(), maxN);
      if (!admission.tryEnter()) {
        throw new LabException(Failures.NOT_READY, "busy: " + admission.limit() + " factorials in flight, the most "
            + "factorial.maxInFlight allows; try again when one is done");
      }
    } catch (LabException e) {
      Failures.reply(msg, e);
      return;
    }
    vertx.eventBus().send(Addresses.FACTORIAL_WORK, new Work(request, msg), toWorkers);
  }
}
