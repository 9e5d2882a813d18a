package io.concurrencylab.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: how the serves of a cluster keep one list between them (on {@code lab.list.replica.<nodeId>}, never
 * through a bridge). The owner numbers every operation and sends it to the other voting serves before it answers;
 * a serve that wants to own the list asks the voters to promise it a new epoch first. A replica obeys only the
 * highest epoch it has promised, which is what fences an owner that was replaced while it was frozen.
 */
public final class ReplicaMessages {
  private ReplicaMessages() {}

  /** The header that says which of the messages below a replica message is. */
  public static final String TYPE = "type";

  public enum Type {
    /** {@link Replicate}: operations (or none: a heartbeat) from the owner. */
    REPLICATE,
    /** {@link Prepare}: a candidate asks for a promise. */
    PREPARE,
    /** Asks a replica for its whole state ({@link Accepted}). */
    FETCH,
    /** {@link Install}: the owner replaces a replica's state with its own. */
    INSTALL
  }

  /** The kinds of operation the owner orders and replicates. */
  public enum OpKind { ADD, REMOVE, JOIN, LEAVE }

  /** One operation: an add (value), a remove, or a serve joining or leaving the voters (node). */
  public record Op(OpKind kind, String requestId, long value, String node) {
    public static Op add(String requestId, long value) {
      return new Op(OpKind.ADD, requestId, value, null);
    }

    public static Op remove(String requestId) {
      return new Op(OpKind.REMOVE, requestId, 0, null);
    }

    /**
     * A serve joins the voters. Joining and leaving are set operations, applied each time (a second one changes
     * nothing): no request id, so they are never answered from the answers the list remembers. With one per serve
     * ("join:" + node), a serve the owner had dropped (cut off, then healed) asked to join again and got its first
     * join's answer back, and was never counted in.
     */
    public static Op join(String node) {
      return new Op(OpKind.JOIN, null, 0, node);
    }

    /** A serve leaves the voters (see {@link #join}: no request id either). */
    public static Op leave(String node) {
      return new Op(OpKind.LEAVE, null, 0, node);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("kind", kind.name()).put("id", requestId);
      return kind == OpKind.ADD ? json.put("value", value) : node != null ? json.put("node", node) : json;
    }

    public static Op fromJson(JsonObject json) {
      return new Op(OpKind.valueOf(json.getString("kind")), json.getString("id"), json.getLong("value", 0L),
          json.getString("node"));
    }
  }

  /**
   * Operations {@code after + 1 ...} of {@code epoch} (none: a heartbeat), and how far the owner has committed
   * ({@code commit}: a majority holds every operation up to there, so their changes may be published). Answered
   * with {@link Ack}.
   */
  public record Replicate(long epoch, String owner, long after, List<Op> ops, long commit) {
    public JsonObject toJson() {
      JsonArray array = new JsonArray();
      ops.forEach(op -> array.add(op.toJson()));
      return new JsonObject().put("epoch", epoch).put("owner", owner).put("after", after).put("ops", array)
          .put("commit", commit);
    }

    public static Replicate fromJson(JsonObject json) {
      List<Op> ops = new ArrayList<>();
      json.getJsonArray("ops").forEach(o -> ops.add(Op.fromJson((JsonObject) o)));
      return new Replicate(json.getLong("epoch"), json.getString("owner"), json.getLong("after"), ops,
          json.getLong("commit", 0L));
    }
  }

  /**
   * A replica's answer to {@link Replicate} and {@link Install}: {@code ok} with the seq it now holds; or not, with
   * the epoch it promised (higher than the sender's: the sender is no longer the owner) and the seq it holds (lower
   * than the operations assume: it needs the whole state).
   */
  public record Ack(boolean ok, long promised, long seq) {
    public JsonObject toJson() {
      return new JsonObject().put("ok", ok).put("promised", promised).put("seq", seq);
    }

    public static Ack fromJson(JsonObject json) {
      return new Ack(json.getBoolean("ok"), json.getLong("promised"), json.getLong("seq"));
    }
  }

  /** A candidate asks for a promise of {@code epoch}. */
  public record Prepare(long epoch, String candidate) {
    public JsonObject toJson() {
      return new JsonObject().put("epoch", epoch).put("candidate", candidate);
    }

    public static Prepare fromJson(JsonObject json) {
      return new Prepare(json.getLong("epoch"), json.getString("candidate"));
    }
  }

  /**
   * A replica's answer to {@link Prepare}, and to FETCH: whether it promised, the highest epoch it has promised,
   * the epoch of the state it holds and its seq, (to FETCH) the state itself, and (a refusal because the owner it
   * follows is alive) that owner's node id, so a candidate that had lost track of the owner learns who it is.
   */
  public record Accepted(boolean promised, long promisedEpoch, long acceptedEpoch, long seq, JsonObject state,
      String owner) {
    public Accepted(boolean promised, long promisedEpoch, long acceptedEpoch, long seq, JsonObject state) {
      this(promised, promisedEpoch, acceptedEpoch, seq, state, null);
    }

    /** This refusal, naming the live owner the replica follows. */
    public Accepted because(String liveOwner) {
      return new Accepted(promised, promisedEpoch, acceptedEpoch, seq, state, liveOwner);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("promised", promised).put("promisedEpoch", promisedEpoch)
          .put("acceptedEpoch", acceptedEpoch).put("seq", seq).put("state", state);
      return owner == null ? json : json.put("owner", owner);
    }

    public static Accepted fromJson(JsonObject json) {
      return new Accepted(json.getBoolean("promised"), json.getLong("promisedEpoch"), json.getLong("acceptedEpoch"),
          json.getLong("seq"), json.getJsonObject("state"), json.getString("owner"));
    }
  }

  /**
   * The owner of {@code epoch} gives a replica its whole state, and how it became owner ({@code lastChange}, null
   * until it has announced that): a serve that joined after the announcement learns it here. Answered with
   * {@link Ack}.
   */
  public record Install(long epoch, String owner, JsonObject state, ListMessages.OwnerChanged lastChange) {
    public Install(long epoch, String owner, JsonObject state) {
      this(epoch, owner, state, null);
    }

    public JsonObject toJson() {
      return new JsonObject().put("epoch", epoch).put("owner", owner).put("state", state)
          .put("lastChange", lastChange == null ? null : lastChange.toJson());
    }

    public static Install fromJson(JsonObject json) {
      JsonObject last = json.getJsonObject("lastChange");
      return new Install(json.getLong("epoch"), json.getString("owner"), json.getJsonObject("state"),
          last == null ? null : ListMessages.OwnerChanged.fromJson(last));
    }
  }
}
