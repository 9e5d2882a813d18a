package io.concurrencylab.cli;

import io.vertx.core.json.JsonObject;

/**
 * The JSON shapes of the TCP bridge protocol (vertx-tcp-eventbus-bridge), client side. The keys appear only here.
 *
 * <pre>
 * to the bridge:   {type: send|publish|register|ping, address, body?, headers?, replyAddress?}
 * from the bridge: {type: message, address, body, headers, send}
 *                  {type: err, address: replyAddress, sourceAddress, failureType, failureCode, message}  a failed request
 *                  {type: err, message: access_denied}                                                a refused frame
 *                  {type: pong}
 * </pre>
 */
final class Frames {
  static final String SEND = "send";
  static final String PUBLISH = "publish";
  static final String REGISTER = "register";
  static final String PING = "ping";
  static final String MESSAGE = "message";
  static final String ERR = "err";
  static final String PONG = "pong";

  static final String TYPE = "type";
  static final String ADDRESS = "address";
  static final String BODY = "body";
  static final String HEADERS = "headers";
  static final String REPLY_ADDRESS = "replyAddress";
  static final String FAILURE_TYPE = "failureType";
  static final String FAILURE_CODE = "failureCode";
  static final String MESSAGE_TEXT = "message";
  /** A header the bridge turns into the request's send timeout (ms); it must be a JSON number. */
  static final String TIMEOUT_HEADER = "timeout";

  private Frames() {}

  /** A send or publish; a send with a reply address is a request, whose answer comes back to that address. */
  static JsonObject message(String type, String address, Object body, JsonObject headers, String replyAddress) {
    JsonObject frame = new JsonObject().put(TYPE, type).put(ADDRESS, address).put(BODY, body);
    if (headers != null && !headers.isEmpty()) {
      frame.put(HEADERS, headers);
    }
    if (replyAddress != null) {
      frame.put(REPLY_ADDRESS, replyAddress);
    }
    return frame;
  }

  static JsonObject register(String address) {
    return new JsonObject().put(TYPE, REGISTER).put(ADDRESS, address);
  }

  static JsonObject ping() {
    return new JsonObject().put(TYPE, PING);
  }

  static String type(JsonObject frame) {
    return frame.getString(TYPE, "");
  }

  static boolean is(JsonObject frame, String type, String address) {
    return type.equals(type(frame)) && address.equals(frame.getString(ADDRESS));
  }
}
