package io.concurrencylab.cli;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** How the CLI prints what it received: pretty JSON for people, one line per value for scripts ({@code --json}). */
public final class JsonText {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private JsonText() {}

  /** Any JSON value (object, array, string, number, boolean, null). */
  public static String of(Object value, boolean oneLine) {
    return oneLine ? Json.encode(value) : Json.encodePrettily(value);
  }

  /**
   * One line per tailed message: {@code 12:00:01.250 lab.list.changed {"op":"add",...}}, or with {@code json} an
   * object {@code {"address": ..., "body": ..., "headers": ...}} (headers only when there are some).
   */
  public static String line(Received message, boolean json, LocalTime at) {
    if (!json) {
      return CLOCK.format(at) + " " + message.address() + " " + Json.encode(message.body());
    }
    JsonObject line = new JsonObject().put("address", message.address()).put("body", message.body());
    if (!message.headers().isEmpty()) {
      line.put("headers", message.headers());
    }
    return line.encode();
  }
}
