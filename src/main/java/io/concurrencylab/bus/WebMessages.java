package io.concurrencylab.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The shapes the HTTP side adds to the contract: error bodies, the factorial batch, and the wiretap records of the
 * live stream ({@code GET /events}). Every other route answers with the event-bus reply as it is.
 */
public final class WebMessages {
  private WebMessages() {}

  /**
   * The header naming who sent a request, shown by the wiretap: {@code producer}, {@code consumer}, {@code http},
   * {@code bridge}, or the status page's own id ({@code page-...}, from its {@code X-Lab-Client} header), so the page
   * can hide the actors' traffic and find its user's own requests.
   */
  public static final String ORIGIN = "origin";
  /** The HTTP header the status page sends its id in; the API passes it on as {@link #ORIGIN}. */
  public static final String CLIENT_HEADER = "X-Lab-Client";

  /** SSE event name of a {@link Tap}; the contract's public events keep their address as their event name. */
  public static final String WIRETAP_EVENT = "wiretap";

  /**
   * Every HTTP error: {@code {"error": "list is full (capacity 1000)", "status": 409}}; a failure that happened in the
   * work itself (a bug, not bad input) adds {@code "remote"}: where and how it failed ({@link RemoteFailure#origin()}:
   * type, message, thread, pid, host, stack).
   */
  public record Error(int status, String error, JsonObject remote) {
    public Error(int status, String error) {
      this(status, error, null);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("error", error).put("status", status);
      return remote == null ? json : json.put("remote", remote);
    }

    public static Error fromJson(JsonObject json) {
      return new Error(json.getInteger("status"), json.getString("error"), json.getJsonObject("remote"));
    }
  }

  /**
   * {@code POST /api/factorial/batch} body: {@code {"n": [1, 2, 3]}}; no body (or no {@code n}) means 1..10. The
   * items go to {@code lab.factorial.compute} as they are, and that handler validates each one.
   */
  public record Batch(List<Object> items) {
    public static final int MAX_ITEMS = 100;
    public static final List<Object> DEFAULT = List.copyOf(LongStream.rangeClosed(1, 10).boxed().toList());

    /** @throws LabException 400 when {@code n} is not an array of 1 to {@link #MAX_ITEMS} items */
    public static Batch fromBody(Object body) {
      if (body == null) {
        return new Batch(DEFAULT);
      }
      if (!(body instanceof JsonObject json)) {
        throw LabException.badInput("expected {\"n\": [1, 2, 3]} (or no body for 1..10)");
      }
      Bodies.only(json, List.of("n"), "a batch");
      Object n = json.getValue("n");
      if (n == null) {
        return new Batch(DEFAULT);
      }
      if (!(n instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_ITEMS) {
        throw LabException.badInput("n must be an array of 1 to " + MAX_ITEMS + " numbers, e.g. {\"n\": [1, 2, 3]}");
      }
      List<Object> items = new ArrayList<>();
      array.forEach(items::add);
      return new Batch(items);
    }

    public JsonObject toJson() {
      return new JsonObject().put("n", new JsonArray(new ArrayList<>(items)));
    }
  }

  /** One item of a batch that failed: the item as it was given, and the error as an HTTP status and message. */
  public record BatchFailure(Object n, int status, String error) {
    public JsonObject toJson() {
      return new JsonObject().put("n", n).put("status", status).put("error", error);
    }
  }

  /**
   * {@code POST /api/factorial/batch} reply: {@code {"results": [...], "ms": 12.5}}, the results in the order they
   * completed, each a {@link FactorialMessages.Result} or a {@link BatchFailure}. Written as it completes (it can
   * hold a hundred 456,574-digit values): {@link #BATCH_REPLY_START}, the results separated by commas, then
   * {@link #batchReplyEnd}.
   */
  public static final String BATCH_REPLY_START = "{\"results\":[";

  /** The end of a {@code POST /api/factorial/batch} reply, once every result is written. */
  public static String batchReplyEnd(double ms) {
    return "],\"ms\":" + io.vertx.core.json.Json.encode(ms) + "}";
  }

  /** The results of a {@code POST /api/factorial/batch} reply ({@link #BATCH_REPLY_START}). */
  public static List<JsonObject> batchResults(JsonObject reply) {
    List<JsonObject> results = new ArrayList<>();
    reply.getJsonArray("results").forEach(r -> results.add((JsonObject) r));
    return results;
  }

  /** Whether a batch result is a failure ({@link BatchFailure}) rather than a result. */
  public static boolean isFailure(JsonObject result) {
    return result.containsKey("error");
  }

  /**
   * One message seen by the wiretap: when, which way ({@code out}: sent from this process, {@code in}: arrived from
   * another member), what ({@code send}, {@code request}, {@code publish}, {@code reply}, {@code failure}), on which
   * public address (a reply carries the address of its request), the body, shortened, and who sent the request
   * ({@link #ORIGIN}; a reply carries its request's; null when unknown).
   */
  public record Tap(long at, String dir, String kind, String address, String body, String origin) {
    public Tap(long at, String dir, String kind, String address, String body) {
      this(at, dir, kind, address, body, null);
    }

    public JsonObject toJson() {
      return new JsonObject().put("at", at).put("dir", dir).put("kind", kind).put("address", address)
          .put("body", body).put("origin", origin);
    }

    public static Tap fromJson(JsonObject json) {
      return new Tap(json.getLong("at"), json.getString("dir"), json.getString("kind"), json.getString("address"),
          json.getString("body"), json.getString("origin"));
    }
  }
}
