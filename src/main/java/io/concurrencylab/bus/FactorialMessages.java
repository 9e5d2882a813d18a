package io.concurrencylab.bus;

import io.vertx.core.json.JsonObject;

/** Message shapes of {@code lab.factorial.compute}. Values travel as decimal strings: JSON numbers would lose digits. */
public final class FactorialMessages {
  private FactorialMessages() {}

  /** Body: {@code 20} or {@code {"n": 20}}. */
  public record Request(int n) {
    static final int MAX_TEXT_DIGITS = 4096;

    /**
     * @throws LabException 400 for a non-integer, a negative n, or n over {@code maxN}
     */
    public static Request fromBody(Object body, int maxN) {
      if (body instanceof JsonObject json) {
        Bodies.only(json, java.util.List.of("n"), Addresses.FACTORIAL_COMPUTE);
      }
      long n = Bodies.integer(body, "n", 0, maxN, " (factorial.maxN)");
      return new Request((int) n);
    }

    public JsonObject toJson() {
      return new JsonObject().put("n", n);
    }

    /**
     * The body for an n written as text (a URL path segment, a command-line argument): ASCII digits with an
     * optional minus go as a JSON number (beyond a long as {@code {"n": ...}}, the shape that carries any size);
     * anything else goes as written ({@code +5}, {@code 1e3}, full-width digits, {@code " 7"}), for
     * {@link #fromBody} to refuse with its 400 in the same words at every door.
     */
    public static Object fromText(String text) {
      // (a URL's request line is at most 4096 characters; a longer command-line argument goes as a string, and is
      // refused as one, rather than parsed into a BigInteger at quadratic cost)
      if (text.length() <= MAX_TEXT_DIGITS && text.matches("-?[0-9]+")) {
        java.math.BigInteger n = new java.math.BigInteger(text);
        return n.bitLength() < 64 ? (Object) n.longValue() : new JsonObject().put("n", n);
      }
      return text;
    }
  }

  /**
   * Reply of {@code lab.factorial.load}: factorials admitted and not yet answered, the most
   * {@code factorial.maxInFlight} admits, and the milliseconds since one was last answered (or since the pool went
   * busy). A full pool is busy, not down; a busy pool that answers nothing for {@link #STUCK_AFTER_MS} is stuck.
   */
  public record Load(int inFlight, int maxInFlight, long sinceProgressMs) {
    /**
     * Far beyond the longest factorial (n = factorial.maxN, at most 100,000: ~0.3 s with its digits) times the
     * requests that can wait for a worker (factorial.maxInFlight).
     */
    public static final long STUCK_AFTER_MS = 30_000;

    /** Busy, and nothing answered for {@link #STUCK_AFTER_MS}: the workers are hung, or starved of CPU. */
    public boolean stuck() {
      return inFlight > 0 && sinceProgressMs > STUCK_AFTER_MS;
    }

    public JsonObject toJson() {
      return new JsonObject().put("inFlight", inFlight).put("maxInFlight", maxInFlight)
          .put("sinceProgressMs", sinceProgressMs);
    }

    public static Load fromJson(JsonObject json) {
      return new Load(json.getInteger("inFlight"), json.getInteger("maxInFlight"), json.getLong("sinceProgressMs"));
    }
  }

  /** Reply: the exact value, its digit count, the compute time and the (worker) thread that computed it. */
  public record Result(int n, String value, int digits, long micros, String thread) {
    public JsonObject toJson() {
      return new JsonObject().put("n", n).put("value", value).put("digits", digits).put("micros", micros)
          .put("thread", thread);
    }

    public static Result fromJson(JsonObject json) {
      return new Result(json.getInteger("n"), json.getString("value"), json.getInteger("digits"),
          json.getLong("micros"), json.getString("thread"));
    }
  }
}
