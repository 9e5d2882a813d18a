package io.concurrencylab.list;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.ListMessages;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.SharedJsonCodec;
import io.concurrencylab.bus.ListMessages.Add;
import io.concurrencylab.bus.ListMessages.Added;
import io.concurrencylab.bus.ListMessages.Changed;
import io.concurrencylab.bus.ListMessages.Op;
import io.concurrencylab.bus.ListMessages.Removed;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * Q4: the one owner of the list. Handles {@code lab.list.add}, {@code lab.list.remove} and {@code lab.list.snapshot},
 * and publishes {@code lab.list.changed} after each. All three handlers run on this verticle's single event loop,
 * one message at a time, so the list needs no lock: that is the whole point of the lesson, retold.
 */
public final class ListOwnerVerticle extends VerticleBase {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ListOwnerVerticle.class);
  private final int capacity;
  private ListStore store;
  private ListMeters meters;
  private long seq;

  public ListOwnerVerticle(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public Future<?> start() {
    io.concurrencylab.bus.RemoteFailure.register(vertx.eventBus()); // failures carry where and how they happened
    store = new ListStore(capacity);
    meters = new ListMeters();
    EventBus bus = vertx.eventBus();
    SharedJsonCodec.register(bus);
    // Started only once all three addresses are registered, so nobody gets NO_HANDLERS after deploy succeeded.
    return Future.all(
        bus.consumer(Addresses.LIST_ADD, this::add).completion(),
        bus.consumer(Addresses.LIST_REMOVE, this::remove).completion(),
        bus.consumer(Addresses.LIST_SNAPSHOT, this::snapshot).completion(),
        bus.consumer(Addresses.LIST_OWNER, this::ownerInfo).completion());
  }

  private void ownerInfo(Message<Object> msg) {
    if (!Bodies.takesNone(msg, Addresses.LIST_OWNER)) {
      return;
    }
    msg.reply(new ListMessages.OwnerInfo("local", 0, java.util.List.of(), "local", null).toJson());
  }

  private void add(Message<Object> msg) {
    try {
      Added added = store.add(Add.fromBody(msg.body()).value());
      meters.added(added.size());
      answer(msg, added.toJson());
      publish(Op.ADD, added.added(), added.size());
    } catch (RuntimeException e) {
      fail(msg, e);
    }
  }

  private void snapshot(Message<Object> msg) {
    try {
      Bodies.none(msg.body(), Addresses.LIST_SNAPSHOT);
      msg.reply(store.snapshot().toJson());
    } catch (RuntimeException e) {
      Failures.reply(msg, e);
    }
  }

  private void remove(Message<Object> msg) {
    try {
      Bodies.none(msg.body(), Addresses.LIST_REMOVE);
    } catch (RuntimeException e) {
      fail(msg, e);
      return;
    }
    Removed removed = store.removeHead();
    meters.removed(removed.wasEmpty(), removed.size());
    answer(msg, removed.toJson());
    publish(removed.wasEmpty() ? Op.EMPTY : Op.REMOVE, removed.removed(), removed.size());
  }

  /** A reply; or, for a requester that asked for it ({@link ListMessages#REPLY_TO}), a message to its address. */
  private void answer(Message<Object> msg, io.vertx.core.json.JsonObject body) {
    String replyTo = msg.headers().get(ListMessages.REPLY_TO);
    if (replyTo == null) {
      msg.reply(body, SharedJsonCodec.OPTIONS);
    } else {
      vertx.eventBus().send(replyTo, body, answerTo(msg));
    }
  }

  private void fail(Message<Object> msg, RuntimeException e) {
    String replyTo = msg.headers().get(ListMessages.REPLY_TO);
    if (replyTo == null) {
      Failures.reply(msg, e);
    } else {
      int code = e instanceof io.concurrencylab.bus.LabException lab ? lab.code() : Failures.UNEXPECTED;
      vertx.eventBus().send(replyTo, new io.vertx.core.eventbus.ReplyException(
          io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, code, e.getMessage()),
          new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true)
              .addHeader(ListMessages.CORRELATION, String.valueOf(msg.headers().get(ListMessages.CORRELATION))));
    }
  }

  private static io.vertx.core.eventbus.DeliveryOptions answerTo(Message<Object> msg) {
    return new io.vertx.core.eventbus.DeliveryOptions(SharedJsonCodec.OPTIONS).setLocalOnly(true)
        .addHeader(ListMessages.CORRELATION, String.valueOf(msg.headers().get(ListMessages.CORRELATION)));
  }

  @Override
  public Future<?> stop() {
    meters.remove();
    return Future.succeededFuture();
  }

  private void publish(Op op, Long value, int size) {
    if (log.isDebugEnabled()) { // the thread name in the log line is the lesson: always the same event loop
      log.debug("{} {}: {} item(s)", op.name().toLowerCase(), value == null ? "-" : value, size);
    }
    vertx.eventBus().publish(Addresses.LIST_CHANGED, new Changed(op, value, size, ++seq).toJson(), SharedJsonCodec.OPTIONS);
  }
}
