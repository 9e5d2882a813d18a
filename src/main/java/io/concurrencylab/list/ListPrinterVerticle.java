package io.concurrencylab.list;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ListMessages.Changed;
import io.concurrencylab.bus.ListMessages.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Prints the lesson's lines from {@code lab.list.changed}. The owner publishes its events in the order it applied
 * them, so replaying them on a copy gives the list as it was after each one: every "Current list" printed is the
 * owner's list at that moment, and nothing here needs the owner's state or a lock.
 */
final class ListPrinterVerticle extends VerticleBase {
  private final Consumer<String> out;
  private final ArrayDeque<Long> replica = new ArrayDeque<>();
  private long added;
  private long removed;
  private long lastSeq;
  private Snapshot waitingFor;
  private Promise<Void> caughtUp;

  ListPrinterVerticle(Consumer<String> out) {
    this.out = out;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.LIST_CHANGED, msg -> apply(Changed.fromJson(msg.body())))
        .completion();
  }

  private void apply(Changed event) {
    if (event.seq() != lastSeq + 1) {
      out.accept("(missed " + (event.seq() - lastSeq - 1) + " event(s) before #" + event.seq() + ")");
    }
    lastSeq = event.seq();
    switch (event.op()) {
      case ADD -> {
        replica.addLast(event.value());
        added++;
        out.accept("Added " + event.value() + " to the list. Current list: " + replica);
      }
      case REMOVE -> {
        replica.pollFirst();
        removed++;
        out.accept("Removed " + event.value() + " from the list. Current list: " + replica);
      }
      case EMPTY -> out.accept("List is empty. Waiting for elements to add.");
    }
    checkCaughtUp();
  }

  /** Completes once every change up to {@code snapshot} has been printed; fails if the replica disagrees with it. */
  Future<Void> caughtUp(Snapshot snapshot) {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      waitingFor = snapshot;
      caughtUp = promise;
      checkCaughtUp();
    });
    return promise.future();
  }

  private void checkCaughtUp() {
    if (waitingFor == null || added < waitingFor.added() || removed < waitingFor.removed()) {
      return;
    }
    List<Long> mine = new ArrayList<>(replica);
    if (mine.equals(waitingFor.items())) {
      caughtUp.complete();
    } else {
      caughtUp.fail("printed list " + mine + " differs from the owner's " + waitingFor.items());
    }
    waitingFor = null;
  }
}
