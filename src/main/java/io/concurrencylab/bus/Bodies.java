package io.concurrencylab.bus;

import io.vertx.core.json.JsonObject;

/** Strict reading of message bodies: integers are JSON integers, never strings or fractions. */
final class Bodies {
  private Bodies() {}

  /**
   * The integer in {@code body}: either the body itself ({@code 42}) or its field {@code key} ({@code {"value": 42}}).
   *
   * @throws LabException 400 when it is missing, a string, a fraction, or out of the long range
   */
  static long integer(Object body, String key) {
    Object raw = body instanceof JsonObject json ? json.getValue(key) : body;
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
      return ((Number) raw).longValue();
    }
    String shape = body instanceof JsonObject ? "{\"" + key + "\": <integer>}" : "an integer or {\"" + key + "\": <integer>}";
    if (raw == null) {
      throw LabException.badInput("missing integer: expected " + shape);
    }
    if (raw instanceof String s) {
      throw LabException.badInput("not an integer: \"" + s + "\" is a string (expected " + shape + ")");
    }
    throw LabException.badInput("not an integer: " + raw + " (expected " + shape + ")");
  }
}
