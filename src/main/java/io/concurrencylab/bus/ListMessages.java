package io.concurrencylab.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Message shapes of the list owner ({@code lab.list.*}). The JSON keys of these messages appear only here. */
public final class ListMessages {
  private ListMessages() {}

  /**
   * The header that names a request to the list ({@code lab.list.add}, {@code lab.list.remove}): a request sent
   * again with the same id (after a failover, its first try may or may not have been applied) is applied once,
   * and answered as the first time. Serves set one on every request they pass on; clients may set their own
   * (HTTP: {@code Idempotency-Key}; the bridge: a {@code requestId} header).
   */
  public static final String REQUEST_ID = "requestId";
  /**
   * The longest request id taken: an owner remembers the answers to its last 10,000 ids (and keeps them with the
   * list), so an id as long as a frame would cost it hundreds of MB.
   */
  public static final int MAX_REQUEST_ID = 200;

  /**
   * The request id a client gave ({@code header} names where: Idempotency-Key, requestId), null for none or a blank
   * one.
   *
   * @throws LabException 400 for one longer than {@link #MAX_REQUEST_ID} (never cut: two ids with the same first 200
   *     characters would be taken as one request)
   */
  public static String requestId(String id, String header) {
    if (id == null || id.isBlank()) {
      return null;
    }
    String given = id.strip();
    if (given.length() > MAX_REQUEST_ID) {
      throw LabException.badInput(header + " is " + given.length() + " characters long, more than " + MAX_REQUEST_ID
          + ": give a shorter id");
    }
    return given;
  }
  /**
   * Headers for a requester in the owner's own process that sends many operations: with {@code replyTo} (one of its
   * own local addresses) and {@code corr} (its number for the request), the owner sends the answer there as an
   * ordinary message carrying the same {@code corr}, instead of replying. Still one message and one answer per
   * operation, but without the event bus's per-request reply registration and timer, which are most of what a
   * request costs (a failure arrives as a {@code ReplyException} body). The bridge never passes these on.
   */
  public static final String REPLY_TO = "replyTo";
  /**
   * The header naming the serve (its node id) that passed a request on to the list's owner; set by the serve, over
   * any value a client gave. The owner ignores (applies nothing, answers nothing) a request from a serve that is not
   * in its cluster: one cut off from it, whose message arrived late once the link healed.
   */
  public static final String VIA_SERVE = "viaServe";
  /**
   * The header with the wall-clock time (ms since the epoch) when the serve passing a request on stops holding it and
   * answers its client 503; set by the serve ({@link OwnerRequests}), over any value a client gave. An owner ignores
   * a request that reaches it later (a cut healed, and TCP delivered an attempt its client was told had failed):
   * applying it would put in the list what was refused.
   */
  public static final String HOLD_UNTIL = "holdUntil";

  public static final String CORRELATION = "corr";

  /**
   * Headers only this app's own code sets: the bridge drops them from what a client sends (a {@code replyTo} from
   * outside could aim the owner at any address; a made-up {@code viaServe} or a past {@code holdUntil} made the owner
   * drop a send in silence, and log the client's text).
   */
  public static final java.util.Set<String> INTERNAL_HEADERS = java.util.Set.of(REPLY_TO, CORRELATION, VIA_SERVE,
      HOLD_UNTIL);

  /** Whether {@code name} is one of {@link #INTERNAL_HEADERS} in any letter case (the bus's headers ignore case). */
  public static boolean isInternalHeader(String name) {
    return INTERNAL_HEADERS.stream().anyMatch(name::equalsIgnoreCase);
  }

  /** The failure (503) of a request that reached a serve that no longer owns the list: send it again. */
  public static final String NOT_OWNER = "not the list owner (any more): send it again";
  /** The failure (503) when no owner answered within {@code list.failoverHoldMs}. */
  public static final String FAILING_OVER = "owner failing over";

  /** Whether a {@link #HOLD_UNTIL} header has passed; a header that is not 1 to 18 digits never passes. */
  public static boolean holdPassed(String holdUntil, long nowMs) {
    if (holdUntil == null || holdUntil.isEmpty() || holdUntil.length() > 18) {
      return false;
    }
    long ms = 0;
    for (int i = 0; i < holdUntil.length(); i++) { // by hand: this is read once per list request
      char c = holdUntil.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      ms = ms * 10 + (c - '0');
    }
    return ms < nowMs;
  }

  /** {@code lab.list.add} body: {@code 42} or {@code {"value": 42}}. */
  public record Add(long value) {
    public static Add fromBody(Object body) {
      if (body instanceof JsonObject json) {
        Bodies.only(json, List.of("value"), Addresses.LIST_ADD);
      }
      return new Add(Bodies.integer(body, "value"));
    }

    public JsonObject toJson() {
      return new JsonObject().put("value", value);
    }
  }

  /** {@code lab.list.add} reply. */
  public record Added(long added, int size) {
    public JsonObject toJson() {
      return new JsonObject().put("added", added).put("size", size);
    }

    public static Added fromJson(JsonObject json) {
      return new Added(json.getLong("added"), json.getInteger("size"));
    }
  }

  /** {@code lab.list.remove} reply; {@code removed} is null when the list was empty (not an error). */
  public record Removed(Long removed, int size) {
    public JsonObject toJson() {
      return new JsonObject().put("removed", removed).put("size", size);
    }

    public static Removed fromJson(JsonObject json) {
      return new Removed(json.getLong("removed"), json.getInteger("size"));
    }

    public boolean wasEmpty() {
      return removed == null;
    }
  }

  /** {@code lab.list.snapshot} reply: the items head first, and the totals since the owner started. */
  public record Snapshot(List<Long> items, long added, long removed) {
    public int size() {
      return items.size();
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("items", new JsonArray(new ArrayList<Object>(items)))
          .put("size", items.size())
          .put("added", added)
          .put("removed", removed);
    }

    public static Snapshot fromJson(JsonObject json) {
      List<Long> items = new ArrayList<>();
      json.getJsonArray("items").forEach(v -> items.add(((Number) v).longValue()));
      return new Snapshot(items, json.getLong("added"), json.getLong("removed"));
    }
  }

  /** What a {@link Changed} event reports. */
  public enum Op {
    /** A value was appended. */
    ADD,
    /** The head was removed. */
    REMOVE,
    /** A remove found the list empty; nothing changed (published so observers see the lesson's "waiting" line in order). */
    EMPTY;

    private final String wire = name().toLowerCase();

    String wire() {
      return wire;
    }
  }

  /**
   * {@code lab.list.changed}: published by the owner after each operation, in the order it applied them. {@code seq}
   * counts events from 1, so an observer can tell it missed none.
   */
  public record Changed(Op op, Long value, int size, long seq) {
    public JsonObject toJson() {
      return new JsonObject().put("op", op.wire()).put("value", value).put("size", size).put("seq", seq);
    }

    public static Changed fromJson(JsonObject json) {
      return new Changed(Op.valueOf(json.getString("op").toUpperCase()), json.getLong("value"), json.getInteger("size"),
          json.getLong("seq"));
    }
  }

  /**
   * {@code lab.list.owner} reply: which serve owns the cluster's list ({@code null} while none does; {@code "local"}
   * when the app is not clustered), in which epoch, the serves that vote on it, which serve answered, and the last
   * change of owner that serve saw.
   */
  public record OwnerInfo(String owner, long epoch, List<String> voters, String answeredBy, OwnerChanged lastChange) {
    public JsonObject toJson() {
      return new JsonObject().put("owner", owner).put("epoch", epoch)
          .put("voters", new JsonArray(new ArrayList<Object>(voters))).put("answeredBy", answeredBy)
          .put("lastChange", lastChange == null ? null : lastChange.toJson());
    }

    public static OwnerInfo fromJson(JsonObject json) {
      List<String> voters = new ArrayList<>();
      json.getJsonArray("voters").forEach(v -> voters.add((String) v));
      JsonObject last = json.getJsonObject("lastChange");
      return new OwnerInfo(json.getString("owner"), json.getLong("epoch"), voters, json.getString("answeredBy"),
          last == null ? null : OwnerChanged.fromJson(last));
    }
  }

  /**
   * {@code lab.list.owner.changed}: a serve became the owner of the list ({@code previous} null for the first).
   * {@code gapMs}: from the last time the new owner heard from the previous one until it could answer (null for the
   * first owner); {@code at}: when (epoch ms).
   */
  public record OwnerChanged(String previous, String owner, long epoch, Long gapMs, long at) {
    public JsonObject toJson() {
      return new JsonObject().put("previous", previous).put("owner", owner).put("epoch", epoch).put("gapMs", gapMs)
          .put("at", at);
    }

    public static OwnerChanged fromJson(JsonObject json) {
      return new OwnerChanged(json.getString("previous"), json.getString("owner"), json.getLong("epoch"),
          json.getLong("gapMs"), json.getLong("at"));
    }
  }
}
