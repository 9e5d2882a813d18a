package io.concurrencylab.bus;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Message shapes of {@code lab.cluster.*}. */
public final class ClusterMessages {
  private ClusterMessages() {}

  /** One member of the cluster: its Vert.x node id, its process, where it listens, what it is, for how long. */
  public record Member(String nodeId, long pid, String host, String role, long uptimeMs) {
    public JsonObject toJson() {
      return new JsonObject().put("nodeId", nodeId).put("pid", pid).put("host", host).put("role", role)
          .put("uptimeMs", uptimeMs);
    }

    public static Member fromJson(JsonObject json) {
      return new Member(json.getString("nodeId"), json.getLong("pid"), json.getString("host"), json.getString("role"),
          json.getLong("uptimeMs"));
    }
  }

  /**
   * {@code lab.cluster.members} reply: {@code {"members": [...], "listOwner": nodeId}}; {@code listOwner} is the
   * serve that owns the cluster's list (null while none does).
   */
  public record Members(List<Member> members, String listOwner) {
    public JsonObject toJson() {
      return new JsonObject().put("members", SquaresMessages.array(members, Member::toJson)).put("listOwner", listOwner);
    }

    public static Members fromJson(JsonObject json) {
      return new Members(SquaresMessages.list(json.getJsonArray("members"), Member::fromJson),
          json.getString("listOwner"));
    }
  }

  /** {@code lab.cluster.changed}: {@code {"event": "joined"|"left", "member": {...}, "size": n}}. */
  public record Changed(String event, Member member, int size) {
    public JsonObject toJson() {
      return new JsonObject().put("event", event).put("member", member.toJson()).put("size", size);
    }

    public static Changed fromJson(JsonObject json) {
      return new Changed(json.getString("event"), Member.fromJson(json.getJsonObject("member")), json.getInteger("size"));
    }
  }
}
