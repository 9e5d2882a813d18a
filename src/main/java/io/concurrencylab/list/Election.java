package io.concurrencylab.list;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ReplicaMessages;
import io.concurrencylab.bus.ReplicaMessages.Accepted;
import io.concurrencylab.bus.ReplicaMessages.Prepare;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One attempt of a serve to become the list's owner: it asks every voter to promise it a new epoch, and wins once a
 * majority of them did (itself included). It then takes the most advanced state among those that promised (the
 * highest epoch, then the highest seq): every operation a previous owner acknowledged was held by a majority, and
 * any two majorities share a voter, so that state holds every acknowledged operation.
 */
final class Election {
  /** What the winner owns: its epoch, the state it starts from, and the voters it was elected among. */
  record Won(long epoch, ListState state, Set<String> voters) {}

  /**
   * Not tried: too few voters are in this serve's cluster to make a majority (it is cut off with a minority, or the
   * others are gone). No epoch was promised, so a serve cut off for minutes does not come back with an epoch far
   * above the owner's. A failure, not an error: no stack.
   */
  static final class NoMajority extends RuntimeException {
    NoMajority(Set<String> voters, List<String> here) {
      super(here.size() + " of the " + voters.size() + " voters " + voters + " " + (here.size() == 1 ? "is" : "are")
          + " in this serve's cluster, and a majority is " + (voters.size() / 2 + 1), null, false, false);
    }
  }

  /**
   * Not won: a replica refused because the owner it follows is alive in the cluster. This serve had lost track of
   * it (it was frozen, or cut off, and came back): it should follow that owner, not try again with ever higher
   * epochs.
   */
  static final class OwnerAlive extends RuntimeException {
    final String owner;

    OwnerAlive(String owner) {
      super("the list's owner " + owner + " is alive", null, false, false);
      this.owner = owner;
    }
  }

  /**
   * Not won: the most advanced state among those that promised has other voters than this serve thought (it missed
   * the change, e.g. it was dropped while frozen), and those that promised are no majority of them, or this serve is
   * not one of them. A majority of a stale voter set is not enough: it could elect a second owner.
   */
  static final class StaleVoters extends RuntimeException {
    final Set<String> voters;

    StaleVoters(Set<String> voters, Set<String> thought, Set<String> granted) {
      super("the list's voters are " + voters + " (this serve thought " + thought + "); " + granted
          + " promised, no majority of them", null, false, false);
      this.voters = voters;
    }
  }

  private Election() {}

  /**
   * Call on the Vert.x context that owns {@code replica} (the list verticle's event loop): the tally of answers is
   * that context's alone, unguarded.
   *
   * @param voters who votes: the voters of this serve's state, or, for a list nobody holds yet, the live serves
   * @param live the serves in the cluster now (a voter that is gone is not asked)
   */
  static Future<Won> run(Vertx vertx, String self, Replica replica, Set<String> voters, List<String> live,
      int capacity, long timeoutMs) {
    List<String> here = voters.stream().filter(v -> v.equals(self) || live.contains(v)).toList();
    if (!majority(voters, Set.copyOf(here))) { // the voters out of reach could not promise anything anyway
      return Future.failedFuture(new NoMajority(voters, here));
    }
    long epoch = Math.max(replica.seen(), replica.accepted()) + 1;
    long promisedBefore = replica.promised();
    Accepted mine = replica.prepare(new Prepare(epoch, self), false);
    if (!mine.promised()) {
      return Future.failedFuture("this serve promised epoch " + mine.promisedEpoch() + " already");
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs)
        .addHeader(ReplicaMessages.TYPE, ReplicaMessages.Type.PREPARE.name());
    Promise<Won> won = Promise.promise();
    Set<String> granted = new HashSet<>(Set.of(self));
    Accepted[] best = {mine};
    String[] bestVoter = {self};
    List<String> asked = voters.stream().filter(v -> !v.equals(self) && live.contains(v)).toList();
    int[] answered = {0};
    boolean[] adopting = {false};
    Runnable decide = () -> {
      if (won.future().isComplete() || adopting[0]) {
        return;
      }
      if (majority(voters, granted)) {
        adopting[0] = true; // once: answers still coming in change nothing
        Set<String> promisedBy = Set.copyOf(granted);
        adopt(vertx, bestVoter[0], self, replica, capacity, timeoutMs).map(state -> {
          Set<String> current = state.voters();
          if (!current.isEmpty() && (!current.contains(self) || !majority(current, promisedBy))) {
            throw new StaleVoters(current, voters, promisedBy);
          }
          return new Won(epoch, state, Set.copyOf(voters));
        }).onComplete(ar -> {
          if (ar.succeeded()) {
            won.tryComplete(ar.result());
          } else {
            won.tryFail(ar.cause());
          }
        });
      } else if (answered[0] == asked.size()) {
        won.tryFail("no majority of the voters " + voters + " promised epoch " + epoch + " (" + granted.size()
            + " did)");
      }
    };
    Prepare prepare = new Prepare(epoch, self);
    for (String voter : asked) {
      vertx.eventBus().<JsonObject>request(Addresses.listReplica(voter), prepare.toJson(), options)
          .onComplete(ar -> {
            answered[0]++;
            if (ar.succeeded()) {
              Accepted answer = Accepted.fromJson(ar.result().body());
              replica.saw(answer.promisedEpoch()); // refused: the next try starts above what it promised
              if (!answer.promised() && answer.owner() != null && live.contains(answer.owner())
                  && !answer.owner().equals(self)) {
                won.tryFail(new OwnerAlive(answer.owner()));
                return;
              }
              if (answer.promised()) {
                granted.add(voter);
                if (ahead(answer, best[0])) {
                  best[0] = answer;
                  bestVoter[0] = voter;
                }
              }
            }
            decide.run();
          });
    }
    decide.run(); // alone, or no other voter alive
    // lost, however: its own promise of the epoch is taken back (kept, it refused a live owner's rounds once that
    // owner counted this serve in, and deposed it for nothing)
    return won.future().onFailure(e -> replica.withdraw(epoch, promisedBefore));
  }

  /** Whether {@code granted} are more than half of {@code voters}. */
  static boolean majority(Set<String> voters, Set<String> granted) {
    return voters.stream().filter(granted::contains).count() * 2 > voters.size();
  }

  /** Ordered by the epoch of the state held, then by its seq. */
  static boolean ahead(Accepted a, Accepted b) {
    return a.acceptedEpoch() > b.acceptedEpoch() || a.acceptedEpoch() == b.acceptedEpoch() && a.seq() > b.seq();
  }

  /** The state to start from: this serve's own if it is the most advanced, else fetched from the one that is. */
  private static Future<ListState> adopt(Vertx vertx, String from, String self, Replica replica, int capacity,
      long timeoutMs) {
    if (from.equals(self)) {
      return Future.succeededFuture(replica.state() != null ? replica.state() : new ListState(capacity));
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs * 4)
        .addHeader(ReplicaMessages.TYPE, ReplicaMessages.Type.FETCH.name());
    return vertx.eventBus().<JsonObject>request(Addresses.listReplica(from), null, options).map(reply -> {
      JsonObject state = Accepted.fromJson(reply.body()).state();
      return state == null ? new ListState(capacity) : ListState.fromJson(state, capacity);
    });
  }
}
