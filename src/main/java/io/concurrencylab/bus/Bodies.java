package io.concurrencylab.bus;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;

/**
 * The input rules every message of the contract follows, in one place, so a body is judged the same way whichever
 * door it came in by (HTTP, the bridge, another cluster member): integers are JSON integers within their range
 * (never strings or fractions; a number too large for any type is out of range, not truncated); an object takes
 * only its known fields; an address that takes no body takes none. An error quotes at most {@link #SHOWN}
 * characters of what it was given, so hostile input is never echoed back whole.
 */
public final class Bodies {
  static final int SHOWN = 40;

  private Bodies() {}

  /**
   * The integer in {@code body}: either the body itself ({@code 42}) or its field {@code key} ({@code {"value":
   * 42}}), between {@code min} and {@code max}.
   *
   * @param maxNote said after the maximum when it is exceeded, e.g. {@code " (factorial.maxN)"}
   * @throws LabException 400 when it is missing, a string, a fraction, or out of range
   */
  static long integer(Object body, String key, long min, long max, String maxNote) {
    Object raw = body instanceof JsonObject json ? json.getValue(key) : body;
    BigInteger value = whole(raw);
    if (value == null) {
      String shape = body instanceof JsonObject ? "{\"" + key + "\": <integer>}"
          : "an integer or {\"" + key + "\": <integer>}";
      if (raw == null) {
        throw LabException.badInput("missing integer: expected " + shape);
      }
      if (raw instanceof String s) {
        throw LabException.badInput("not an integer: " + show(s) + " is a string (expected " + shape + ")");
      }
      if (raw instanceof Double d && d.isInfinite()) {
        throw LabException.badInput(key + " is out of range: " + show(d) + " (a number beyond any integer)");
      }
      throw LabException.badInput("not an integer: " + show(raw) + " (expected " + shape + ")");
    }
    String got = cut(value.toString(), SHOWN);
    if (value.compareTo(BigInteger.valueOf(min)) < 0) {
      throw LabException.badInput(key + " must be " + (min == 0 ? "0 or more" : "at least " + min) + ", got " + got);
    }
    if (value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw LabException.badInput(key + " must be at most " + max + maxNote + ", got " + got);
    }
    return value.longValue();
  }

  /** {@link #integer(Object, String, long, long, String)} over the whole range of a long. */
  static long integer(Object body, String key) {
    return integer(body, key, Long.MIN_VALUE, Long.MAX_VALUE, "");
  }

  /**
   * A JSON integer of any size; a whole number written with an exponent or a fraction part ({@code 1e20},
   * {@code 5.0}) only when it is beyond a long (so it is refused as out of range, not as "not an integer");
   * anything else null.
   */
  static BigInteger whole(Object raw) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
      return BigInteger.valueOf(((Number) raw).longValue());
    }
    if (raw instanceof BigInteger big) {
      return big;
    }
    if (raw instanceof Double d && !d.isInfinite() && !d.isNaN() && d == Math.rint(d)
        && Math.abs(d) >= 0x1p63) {
      return new BigDecimal(d).toBigInteger();
    }
    if (raw instanceof BigDecimal d && d.abs().compareTo(new BigDecimal(Long.MAX_VALUE)) > 0
        && d.stripTrailingZeros().scale() <= 0) {
      return d.toBigInteger();
    }
    return null;
  }

  /**
   * A decoded JSON value as the event bus can carry it (a BigInteger or BigDecimal has no message codec). A top-level
   * integer beyond a long is refused here, quoted exactly: every integer of the contract is a long at most, and as a
   * Double it reached the recipient rounded ("got 100000000000000000000" for 99999999999999999999). A top-level
   * BigDecimal becomes a Double. Inside objects and arrays such numbers travel as they are (as JSON text).
   *
   * @throws LabException 400 for a top-level integer beyond a long
   */
  public static Object sendable(Object value) {
    if (value instanceof BigInteger big) {
      if (big.bitLength() < 64) {
        return big.longValue();
      }
      throw LabException.badInput("integer out of range: " + cut(big.toString(), SHOWN)
          + " (beyond a 64-bit integer, the most any address takes)");
    }
    return value instanceof BigDecimal d ? d.doubleValue() : value;
  }

  /** Refuses any field of {@code json} not in {@code known}: a typo must not be ignored silently. */
  static void only(JsonObject json, Collection<String> known, String what) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw LabException.badInput("unknown field " + show(key) + ": " + what + " takes " + String.join(", ", known));
      }
    }
  }

  /** Refuses a body on an address that takes none (null or an empty object pass). */
  public static void none(Object body, String address) {
    if (body != null && !(body instanceof JsonObject json && json.isEmpty())) {
      throw LabException.badInput(address + " takes no body, got " + show(body));
    }
  }

  /**
   * For a handler of an address that takes no body: true when {@code msg} has none; otherwise it gets the failure
   * reply of {@link #none} and this is false.
   */
  public static boolean takesNone(io.vertx.core.eventbus.Message<?> msg, String address) {
    try {
      none(msg.body(), address);
      return true;
    } catch (LabException e) {
      Failures.reply(msg, e);
      return false;
    }
  }

  /** A value as a short piece of JSON for an error message: at most {@link #SHOWN} characters of it. */
  public static String show(Object value) {
    String text;
    try {
      text = value instanceof Double d && (d.isInfinite() || d.isNaN()) ? String.valueOf(d) : Json.encode(value);
    } catch (RuntimeException e) {
      text = String.valueOf(value);
    }
    return cut(text, SHOWN);
  }

  /** {@code text} when short, else its start and how long it was. */
  public static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    // never half a character (an emoji is two chars): it would be shown as '?'
    int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end) + "… (" + text.length() + " chars)";
  }
}
