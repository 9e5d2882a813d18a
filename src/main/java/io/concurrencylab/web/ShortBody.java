package io.concurrencylab.web;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A message body as one short line for the wiretap: long strings inside a JSON object (a factorial's digits) are cut
 * to their start and length, and the whole line to {@link #MAX} characters. Never changes the body it is given:
 * senders share bodies between receivers.
 */
final class ShortBody {
  static final int MAX = 240;
  static final int MAX_STRING = 40;
  private static final int KEEP = 16;

  private ShortBody() {}

  static String of(Object body) {
    String text;
    if (body instanceof io.concurrencylab.bus.ListMessages.Changed changed) { // as sent, before its codec's JSON
      return of(changed.toJson());
    }
    if (body instanceof ReplyException re) {
      text = re.failureCode() + " " + re.getMessage();
    } else if (body instanceof JsonObject json) {
      text = shortStrings(json).encode();
    } else if (body instanceof JsonArray array) {
      text = array.encode();
    } else if (body instanceof String s) {
      text = new JsonArray().add(cut(s)).encode().replaceAll("^\\[|]$", "");
    } else {
      text = String.valueOf(body);
    }
    return text.length() <= MAX ? text : text.substring(0, MAX - 1) + "…";
  }

  private static JsonObject shortStrings(JsonObject json) {
    JsonObject copy = null;
    for (Map.Entry<String, Object> field : json) {
      if (field.getValue() instanceof String s && s.length() > MAX_STRING) {
        copy = copy != null ? copy : json.copy();
        copy.put(field.getKey(), cut(s));
      }
    }
    return copy != null ? copy : json;
  }

  private static String cut(String s) {
    if (s.length() <= MAX_STRING) {
      return s;
    }
    boolean digits = s.chars().allMatch(Character::isDigit);
    return s.substring(0, KEEP) + "…(" + s.length() + (digits ? " digits)" : " chars)");
  }
}
