package io.concurrencylab.factorial;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.FactorialMessages.Request;
import io.concurrencylab.bus.FactorialMessages.Result;
import io.concurrencylab.bus.Failures;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.math.BigInteger;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Q7: a worker verticle that computes factorials for {@code lab.factorial.compute}, whose requests reach it through
 * the {@link FactorialGateVerticle} (which bounds how many are in flight); it answers the caller itself. Deployed with
 * {@link ThreadingModel#WORKER}, so its handler runs on a worker thread and a big n never stalls an event loop;
 * {@code factorial.instances} instances on a pool of as many threads form the pool (the lesson's ThreadPoolExecutor
 * with that many workers); the event bus hands each request to the next instance.
 *
 * <p>Any failure while computing becomes a failure reply (400 for bad input, 500 otherwise), never silence: the
 * caller learns at once instead of waiting for its timeout, and this instance goes on serving.
 */
public final class FactorialWorkerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FactorialWorkerVerticle.class);
  /** The workers' thread pool; its threads are named {@code lab-factorial-worker-<i>}. */
  static final String POOL = "lab-factorial-worker";
  private final Admission admission;
  private final IntFunction<BigInteger> factorial;

  private FactorialWorkerVerticle(Admission admission, IntFunction<BigInteger> factorial) {
    this.admission = admission;
    this.factorial = factorial;
  }

  /**
   * Deploys the service: {@code instances} workers, then the gate in front of them, which admits at most
   * {@code maxInFlight} requests at once. The future completes once {@code lab.factorial.compute} is served.
   */
  public static Future<String> deploy(Vertx vertx, int instances, int maxN, int maxInFlight) {
    return deploy(vertx, instances, maxN, maxInFlight, Factorials::factorial);
  }

  /** Without a bound on requests in flight (tests and benchmarks that queue on purpose). */
  public static Future<String> deploy(Vertx vertx, int instances, int maxN) {
    return deploy(vertx, instances, maxN, Integer.MAX_VALUE);
  }

  static Future<String> deploy(Vertx vertx, int instances, int maxN, IntFunction<BigInteger> factorial) {
    return deploy(vertx, instances, maxN, Integer.MAX_VALUE, factorial);
  }

  static Future<String> deploy(Vertx vertx, int instances, int maxN, int maxInFlight,
      IntFunction<BigInteger> factorial) {
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // here, not in an event loop's first start
    Work.register(vertx.eventBus());
    Admission admission = new Admission(maxInFlight);
    // A pool of their own, as many threads as instances: the threads that compute factorials are exactly these (the
    // maths starts no thread of its own), and a reply's thread names which of them did.
    return vertx.deployVerticle(() -> new FactorialWorkerVerticle(admission, factorial),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(instances)
                .setWorkerPoolName(POOL).setWorkerPoolSize(instances))
        .compose(workers -> vertx.deployVerticle(new FactorialGateVerticle(maxN, admission)));
  }

  @Override
  public Future<?> start() {
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // failures carry where and how they happened
    // local: the gate of this process hands requests to the workers of this process
    return vertx.eventBus().<Work>localConsumer(Addresses.FACTORIAL_WORK, this::compute).completion();
  }

  /** Computes the gate's checked request and answers its caller; the slot is freed before the caller hears. */
  private void compute(Message<Work> msg) {
    Request request = msg.body().request();
    Message<Object> caller = msg.body().caller();
    Object answer;
    try {
      long start = System.nanoTime();
      String value = Factorials.toDecimal(factorial.apply(request.n()));
      long micros = (System.nanoTime() - start) / 1_000;
      log.debug("{}! computed in {} µs", request.n(), micros); // on a worker thread: see the thread name
      answer = new Result(request.n(), value, value.length(), micros, Thread.currentThread().getName()).toJson();
    } catch (Throwable e) { // even an Error: the caller must hear back, and this worker keeps serving
      if (!(e instanceof io.concurrencylab.bus.LabException)) {
        log.warn("factorial of {} failed", request.n(), e);
      }
      admission.leave();
      Failures.reply(caller, e);
      return;
    }
    admission.leave();
    caller.reply(answer);
  }
}
