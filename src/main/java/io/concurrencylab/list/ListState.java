package io.concurrencylab.list;

import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.ListMessages.Added;
import io.concurrencylab.bus.ListMessages.Removed;
import io.concurrencylab.bus.ListMessages.Snapshot;
import io.concurrencylab.bus.ReplicaMessages.Op;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The list of a cluster, as every replica holds it: the items and their totals, the sequence number of the last
 * operation applied, the serves that vote on who owns it, and the answers to the last {@link #REMEMBERED} requests
 * by id. Operations are applied in sequence order, the same way on every replica ({@link #apply} is deterministic),
 * so replicas that applied the same operations hold the same list.
 *
 * <p>A request id seen before is answered with the answer it got then, and changes nothing: a client that retries
 * after a failover (its first try may or may not have been applied) gets its operation applied once. An id names one
 * operation: sent again with another (a remove under an add's id, another value), it is refused (409) and changes
 * nothing, rather than answered with the other operation's answer as if it were its own.
 *
 * <p>Not thread-safe: a replica touches it from its verticle's event loop only.
 */
final class ListState {
  /** Request ids remembered with their answers: far more than can be in flight during a failover. */
  static final int REMEMBERED = 10_000;

  private final ListStore store;
  private final int capacity;
  private long seq;
  /** Changes published so far: the seq of {@code lab.list.changed}, one order for the whole cluster. */
  private long changes;
  private final Set<String> voters = new LinkedHashSet<>();
  /** What a request id was used for ("add 5", "remove") and the answer it got. */
  private record Answer(String op, JsonObject reply) {}

  private final Map<String, Answer> answers = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
      return size() > REMEMBERED;
    }
  };

  ListState(int capacity) {
    this.capacity = capacity;
    this.store = new ListStore(capacity);
  }

  /** What an applied operation did: the reply to its requester, and the change to publish (null: nothing). */
  record Outcome(JsonObject reply, Integer failureCode, String failure, Changed changed) {
    boolean failed() {
      return failureCode != null;
    }
  }

  /**
   * A change to publish on {@code lab.list.changed}: op, value, size after it, its number among the changes
   * ({@code seq}), and the number of the operation that made it ({@code opSeq}: it is published once that
   * operation is committed).
   */
  record Changed(String op, Long value, int size, long seq, long opSeq) {
    io.concurrencylab.bus.ListMessages.Changed event() {
      return new io.concurrencylab.bus.ListMessages.Changed(
          io.concurrencylab.bus.ListMessages.Op.valueOf(op.toUpperCase()), value, size, seq);
    }
  }

  /**
   * Applies {@code op} as operation number {@code seq() + 1}. An add to a full list fails (409) and changes
   * nothing, and is not remembered: retried later, it may succeed. A request id already answered gets that answer
   * again and changes nothing.
   */
  Outcome apply(Op op) {
    Answer earlier = op.requestId() == null ? null : answers.get(op.requestId());
    if (earlier != null) {
      String conflict = conflict(op);
      return conflict == null ? new Outcome(earlier.reply(), null, null, null)
          : new Outcome(null, io.concurrencylab.bus.Failures.CONFLICT, conflict, null);
    }
    Outcome outcome = switch (op.kind()) {
      case ADD -> add(op.value());
      case REMOVE -> remove();
      case JOIN -> config(voters.add(op.node()), "joined");
      // no voter left would hold the list, and no majority of none could ever commit the leave itself
      case LEAVE -> voters.equals(Set.of(op.node())) ? new Outcome(null, io.concurrencylab.bus.Failures.CONFLICT,
          op.node() + " is the list's last voter: with no voter left, nobody would hold the list (" + items() + ")",
          null) : config(voters.remove(op.node()), "left");
    };
    if (!outcome.failed() && op.requestId() != null) {
      answers.put(op.requestId(), new Answer(signature(op), outcome.reply()));
    }
    return outcome;
  }

  /**
   * Why {@code op} may not use its request id (the id was used for another operation), or null: never used, used by
   * this very operation, or remembered from a list of before ids named their operation.
   */
  String conflict(Op op) {
    Answer earlier = op.requestId() == null ? null : answers.get(op.requestId());
    if (earlier == null || earlier.op() == null || earlier.op().equals(signature(op))) {
      return null;
    }
    return "request id '" + io.concurrencylab.bus.Bodies.cut(op.requestId(), 40) + "' was used for " + earlier.op()
        + "; a request id names one operation, this one is " + signature(op) + ": nothing done";
  }

  /** The operation a request id names: its kind and, for an add, its value. */
  private static String signature(Op op) {
    return switch (op.kind()) {
      case ADD -> "add " + op.value();
      case REMOVE -> "remove";
      case JOIN, LEAVE -> op.kind().name().toLowerCase() + " " + op.node();
    };
  }

  private Outcome add(long value) {
    try {
      Added added = store.add(value);
      seq++;
      return new Outcome(added.toJson(), null, null, new Changed("add", value, added.size(), ++changes, seq));
    } catch (LabException full) {
      return new Outcome(null, full.code(), full.getMessage(), null);
    }
  }

  private Outcome remove() {
    Removed removed = store.removeHead();
    seq++;
    return new Outcome(removed.toJson(), null, null,
        new Changed(removed.wasEmpty() ? "empty" : "remove", removed.removed(), removed.size(), ++changes, seq));
  }

  private Outcome config(boolean changed, String what) {
    seq++;
    return new Outcome(new JsonObject().put("voters", new JsonArray(List.copyOf(voters))).put(what, changed), null,
        null, null);
  }

  long seq() {
    return seq;
  }

  Snapshot snapshot() {
    return store.snapshot();
  }

  /** "1 item", "5 items". */
  private String items() {
    return store.size() == 1 ? "1 item" : store.size() + " items";
  }

  int size() {
    return store.size();
  }

  /** The serves that vote on who owns the list (by Vert.x node id). */
  Set<String> voters() {
    return Set.copyOf(voters);
  }

  /** Whether {@code granted} (voters that answered, the caller included) are more than half of the voters. */
  boolean majority(Set<String> granted) {
    long yes = voters.stream().filter(granted::contains).count();
    return yes * 2 > voters.size();
  }

  /** Whether this request id has been applied (its answer is remembered). */
  boolean answered(String requestId) {
    return answers.containsKey(requestId);
  }

  /** The whole state, for a replica that has none or fell behind. */
  JsonObject toJson() {
    Snapshot s = store.snapshot();
    JsonObject remembered = new JsonObject();
    answers.forEach((id, a) -> remembered.put(id, new JsonObject().put("op", a.op()).put("reply", a.reply())));
    return new JsonObject().put("capacity", capacity).put("seq", seq).put("changes", changes).put("items", new JsonArray(new ArrayList<>(s.items())))
        .put("added", s.added()).put("removed", s.removed()).put("voters", new JsonArray(List.copyOf(voters)))
        .put("answers", remembered);
  }

  static ListState fromJson(JsonObject json, int capacity) {
    ListState state = new ListState(Math.max(capacity, json.getInteger("capacity", capacity)));
    List<Long> items = new ArrayList<>();
    json.getJsonArray("items").forEach(v -> items.add(((Number) v).longValue()));
    state.store.restore(items, json.getLong("added"), json.getLong("removed"));
    state.seq = json.getLong("seq");
    state.changes = json.getLong("changes");
    json.getJsonArray("voters").forEach(v -> state.voters.add((String) v));
    JsonObject remembered = json.getJsonObject("answers");
    remembered.fieldNames().forEach(id -> {
      JsonObject a = remembered.getJsonObject(id);
      // before ids named their operation, the answer itself was kept: taken as it is, for any operation
      state.answers.put(id, a.containsKey("reply") ? new Answer(a.getString("op"), a.getJsonObject("reply"))
          : new Answer(null, a));
    });
    return state;
  }
}
