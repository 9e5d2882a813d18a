package io.concurrencylab.list;

import io.concurrencylab.bus.ReplicaMessages.Accepted;
import io.concurrencylab.bus.ReplicaMessages.Ack;
import io.concurrencylab.bus.ReplicaMessages.Install;
import io.concurrencylab.bus.ReplicaMessages.Op;
import io.concurrencylab.bus.ReplicaMessages.Prepare;
import io.concurrencylab.bus.ReplicaMessages.Replicate;

/**
 * The rules one serve follows as a replica of the cluster's list; no messaging here, so they can be tested alone.
 * <ul>
 *   <li>It promises each epoch at most once, to one candidate, and never goes back: a {@link Prepare} for an epoch
 *       above its promise is promised (and the same one from the same candidate again), anything else refused, and
 *       so is any while the owner it follows is alive. A new owner needs the promise of a majority of the
 *       voters.</li>
 *   <li>It applies operations only from the owner of the epoch it promised, and only in order, on top of a state
 *       of that same epoch. An owner from an older epoch (one that was frozen while another took over) is refused,
 *       and so can never gather the majority it needs to acknowledge anything: that is the fence.</li>
 *   <li>A replica behind (or holding a state from another epoch) asks for the whole state ({@link Install}).</li>
 * </ul>
 * Not thread-safe: one event loop.
 */
final class Replica {
  private final int capacity;
  private long promised;
  /**
   * The candidate the last {@link Prepare} was promised to, and that epoch: asked again for the same epoch, the same
   * candidate gets the same promise (its first answer timed out), so that it need not wait and try a higher one.
   */
  private String promisedTo;
  private long promisedByPrepare;
  private long accepted;
  /** The highest epoch this replica knows of: its own promise, or one another replica made. */
  private long seen;
  private ListState state;

  Replica(int capacity) {
    this.capacity = capacity;
  }

  /**
   * @param ownerAlive whether the owner this replica follows is still a live member (and not the candidate): then
   *     the candidate is refused, so a serve that was frozen and wakes up cannot depose a working owner
   */
  Accepted prepare(Prepare prepare, boolean ownerAlive) {
    boolean again = prepare.epoch() == promised && promised == promisedByPrepare && accepted < promised
        && prepare.candidate().equals(promisedTo); // its answer was late or lost: the same promise, given again
    boolean granted = (prepare.epoch() > promised || again) && !ownerAlive;
    if (granted) {
      promised = prepare.epoch();
      promisedByPrepare = promised;
      promisedTo = prepare.candidate();
    }
    return new Accepted(granted, promised, accepted, seq(), null);
  }

  /**
   * A candidate's own promise of {@code epoch}, taken back (to {@code before}) once its election was lost: kept, it
   * would refuse a live owner's rounds as soon as that owner counts this serve in again, and depose it for nothing.
   * Safe: nobody else got this promise, and this serve owns nothing of that epoch. Kept if it has since accepted a
   * state of that epoch (another candidate won it).
   */
  void withdraw(long epoch, long before) {
    if (promised == epoch && accepted < epoch) {
      promised = before;
      promisedTo = null;
    }
  }

  /** The whole state, for a candidate that found this replica the most advanced of a majority. */
  Accepted fetch() {
    return new Accepted(false, promised, accepted, seq(), state == null ? null : state.toJson());
  }

  Ack replicate(Replicate replicate) {
    return replicate(replicate, change -> { });
  }

  /** As {@link #replicate(Replicate)}, handing each change it applies to {@code applied}. */
  Ack replicate(Replicate replicate, java.util.function.Consumer<ListState.Changed> applied) {
    if (replicate.epoch() < promised) {
      return new Ack(false, promised, seq()); // an owner that was replaced: refused
    }
    promised = replicate.epoch();
    if (state == null || accepted != replicate.epoch() || seq() < replicate.after()) {
      return new Ack(false, promised, -1); // not on the owner's state: needs the whole of it
    }
    long next = replicate.after();
    for (Op op : replicate.ops()) {
      next++;
      if (next > state.seq()) { // ops up to state.seq() were applied already (a retried message)
        ListState.Changed changed = state.apply(op).changed();
        if (changed != null) {
          applied.accept(changed);
        }
      }
    }
    return new Ack(true, promised, seq());
  }

  Ack install(Install install) {
    if (install.epoch() < promised) {
      return new Ack(false, promised, seq());
    }
    promised = install.epoch();
    accepted = install.epoch();
    state = ListState.fromJson(install.state(), capacity);
    return new Ack(true, promised, seq());
  }

  /** This serve becomes the owner of {@code epoch} with {@code adopted} (its own state, or a more advanced one). */
  void own(long epoch, ListState adopted) {
    promised = Math.max(promised, epoch);
    accepted = epoch;
    state = adopted;
  }

  long promised() {
    return promised;
  }

  /** Another replica promised {@code epoch}: a candidate here must ask for more. */
  void saw(long epoch) {
    seen = Math.max(seen, epoch);
  }

  long seen() {
    return Math.max(seen, promised);
  }

  long accepted() {
    return accepted;
  }

  long seq() {
    return state == null ? 0 : state.seq();
  }

  /** The state held (null before the first install). */
  ListState state() {
    return state;
  }
}
