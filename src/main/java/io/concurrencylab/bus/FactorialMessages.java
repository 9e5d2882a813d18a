package io.concurrencylab.bus;

import io.vertx.core.json.JsonObject;

/** Message shapes of {@code lab.factorial.compute}. Values travel as decimal strings: JSON numbers would lose digits. */
public final class FactorialMessages {
  private FactorialMessages() {}

  /** Body: {@code 20} or {@code {"n": 20}}. */
  public record Request(int n) {
    /**
     * @throws LabException 400 for a non-integer, a negative n, or n over {@code maxN}
     */
    public static Request fromBody(Object body, int maxN) {
      Object raw = body instanceof JsonObject json ? json.getValue("n") : body;
      if (raw instanceof Double d && d == Math.rint(d) && Math.abs(d) > Long.MAX_VALUE / 2) {
        // a whole number too big for a long (e.g. 99999999999999999999 typed on a command line): say what is wrong
        String text = new java.math.BigDecimal(d).toPlainString();
        throw LabException.badInput(d < 0 ? "n must be 0 or more, got " + text
            : "n must be at most " + maxN + " (factorial.maxN), got " + text);
      }
      long n = Bodies.integer(body, "n");
      if (n < 0) {
        throw LabException.badInput("n must be 0 or more, got " + n);
      }
      if (n > maxN) {
        throw LabException.badInput("n must be at most " + maxN + " (factorial.maxN), got " + n);
      }
      return new Request((int) n);
    }

    public JsonObject toJson() {
      return new JsonObject().put("n", n);
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
