package io.concurrencylab.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Message shapes of the list owner ({@code lab.list.*}). The JSON keys of these messages appear only here. */
public final class ListMessages {
  private ListMessages() {}

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
}
