package io.concurrencylab.web;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.WebMessages;
import io.concurrencylab.bus.WebMessages.Tap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;
import java.util.Map;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Like {@code bus-tail}, but passive: event-bus interceptors see every message on a public contract address (and
 * the reply or failure to each request) as it crosses this process, and hand a short {@link Tap} to the sink.
 * Unlike a consumer, an interceptor steals no point-to-point message. Costs nothing while nobody listens.
 *
 * <p>Outbound: everything sent from this process. Inbound: only what arrived from another cluster member (a local
 * message was already seen outbound). A publish from another member is delivered once per local consumer, so it is
 * counted only on its delivery to this verticle's own consumer, recognised by its context's data.
 */
final class Wiretap extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Wiretap.class);
  static final int MAX_PENDING = 10_000;
  private final Handler<Tap> sink;
  private final TapBudget budget = new TapBudget();
  /**
   * Reply address of a request in flight → the public address it was sent to. At most {@link #MAX_PENDING}: a
   * request whose reply never comes (a timeout) stays until newer ones push it out, the oldest first.
   */
  private final Map<String, Requested> pending = Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Requested> eldest) {
      return size() > MAX_PENDING;
    }
  });
  private final Handler<DeliveryContext<Object>> outbound = dc -> tap(dc, "out");
  private final Handler<DeliveryContext<Object>> inbound = dc -> tap(dc, "in");
  private volatile boolean listening;
  /** Its consumers of the public events, from the first listener on. */
  private final java.util.List<MessageConsumer<Object>> consumers = new java.util.ArrayList<>();

  Wiretap(Handler<Tap> sink) {
    this.sink = sink;
  }

  /** A request waiting for its reply: the public address it went to, and who sent it. */
  private record Requested(String address, String origin) {}

  /** Requests waiting for their reply (tests). */
  int pending() {
    return pending.size();
  }

  /**
   * Whether anyone reads the taps; while not, the interceptors only pass messages on. Until someone first listens,
   * this verticle consumes nothing (then its consumers stay: see {@link EventStream}'s). Completes once taps flow.
   */
  Future<Void> listening(boolean listening) {
    this.listening = listening;
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (!this.listening) {
        pending.clear();
        done.complete();
      } else if (consumers.isEmpty()) {
        // a publish from another member reaches this process only if someone here consumes its address
        Addresses.PUBLIC_EVENTS.forEach(a -> consumers.add(vertx.eventBus().consumer(a, m -> {})));
        Future.all(consumers.stream().map(MessageConsumer::completion).toList()).<Void>mapEmpty().onComplete(done);
      } else {
        done.complete();
      }
    });
    return done.future();
  }

  /** A request that failed without any message (no handler, timeout): the interceptors cannot see it. */
  void failed(String address, Throwable e) {
    if (listening && e instanceof ReplyException re && re.failureCode() == -1) {
      emit("out", "failure", address, re.failureType() + ": " + re.getMessage(), null);
    }
  }

  @Override
  public Future<?> start() {
    context.put(Wiretap.class.getName(), this);
    EventBus bus = vertx.eventBus();
    bus.addOutboundInterceptor(outbound).addInboundInterceptor(inbound);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.eventBus().removeOutboundInterceptor(outbound).removeInboundInterceptor(inbound);
    return Future.succeededFuture();
  }

  private void tap(DeliveryContext<Object> dc, String dir) {
    try {
      if (listening && (dir.equals("out") || arrived(dc))) {
        // outbound: the body as sent (no copy); inbound: decoded once, and kept for the handler
        observe(dc.message(), dir.equals("out") ? dc::body : dc.message()::body, dc.send(), dir);
      }
    } catch (RuntimeException e) { // the tap must never stand in the way of a message
      log.debug("wiretap skipped a message on {}", dc.message().address(), e);
    } finally {
      dc.next();
    }
  }

  /** From another member, and (for a publish) this delivery is the one to this verticle's consumer. */
  private boolean arrived(DeliveryContext<Object> dc) {
    // vertx-core offers no public "came from the wire"; ClusteredMessage is public but internal API
    boolean fromWire = dc.message() instanceof ClusteredMessage<?, ?> cm && cm.isFromWire();
    // Each delivery runs on a duplicate of the handler's context; duplicates share the original's data
    Context current = Vertx.currentContext();
    return fromWire && (dc.send() || current != null && current.get(Wiretap.class.getName()) == this);
  }

  private void observe(Message<Object> m, Supplier<Object> body, boolean send, String dir) {
    String address = m.address();
    if (Addresses.isPublic(address)) {
      String origin = m.headers().get(WebMessages.ORIGIN);
      if (m.replyAddress() != null) {
        pending.put(m.replyAddress(), new Requested(address, origin));
      }
      emit(dir, !send ? "publish" : m.replyAddress() != null ? "request" : "send", address, ShortBody.of(body.get()),
          origin);
    } else {
      Requested requested = pending.remove(address);
      if (requested != null) {
        Object reply = body.get();
        emit(dir, reply instanceof ReplyException ? "failure" : "reply", requested.address(), ShortBody.of(reply),
            requested.origin());
      }
    }
  }

  private void emit(String dir, String kind, String address, String body, String origin) {
    long now = System.currentTimeMillis();
    long dropped = budget.take(now);
    if (dropped > 0) {
      sink.handle(new Tap(now, dir, "dropped", "", dropped + " messages not shown (over " + TapBudget.PER_SECOND + "/s)"));
    }
    if (dropped >= 0) {
      sink.handle(new Tap(now, dir, kind, address, body, origin));
    }
  }
}
