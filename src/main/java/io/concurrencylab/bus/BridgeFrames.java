package io.concurrencylab.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The TCP bridge's wire protocol, both sides (the bridge in {@code serve}, the {@code lab eb} client): each frame is
 * a 4-byte big-endian length, then that many bytes of UTF-8 JSON, one object. The keys appear only here. It is the
 * protocol of vertx-tcp-eventbus-bridge, so its clients in other languages work unchanged.
 *
 * <pre>
 * to the bridge:   {type: send|publish|register|unregister|ping, address, body?, headers?, replyAddress?}
 * from the bridge: {type: message, address, body, headers, send}
 *                  {type: err, address: replyAddress, sourceAddress, failureType, failureCode, message}  a failed request
 *                  {type: err, message: access_denied|..., detail?, replyAddress?}                    a refused frame
 *                  {type: pong}
 * </pre>
 */
public final class BridgeFrames {
  public static final String SEND = "send";
  public static final String PUBLISH = "publish";
  public static final String REGISTER = "register";
  public static final String UNREGISTER = "unregister";
  public static final String PING = "ping";
  public static final String MESSAGE = "message";
  public static final String ERR = "err";
  public static final String PONG = "pong";

  public static final String TYPE = "type";
  public static final String ADDRESS = "address";
  public static final String BODY = "body";
  public static final String HEADERS = "headers";
  public static final String REPLY_ADDRESS = "replyAddress";
  public static final String SOURCE_ADDRESS = "sourceAddress";
  public static final String FAILURE_TYPE = "failureType";
  public static final String FAILURE_CODE = "failureCode";
  public static final String MESSAGE_TEXT = "message";
  /** In the {@code err} frame of a request whose work failed (a bug, not bad input): where and how ({@link RemoteFailure#origin()}). */
  public static final String REMOTE = "remote";
  /** In an {@code err} frame that refuses a frame: what was wrong, for people. */
  public static final String DETAIL = "detail";
  /** In a {@code message} frame: true for a point-to-point message (a reply), false for a published one. */
  public static final String SEND_FLAG = "send";
  /** A header the bridge turns into the request's send timeout (ms); it must be a JSON number. */
  public static final String TIMEOUT_HEADER = "timeout";

  /** The frame's address is not one this kind of frame may use (see the bridge's allow-lists). Not fatal. */
  public static final String ACCESS_DENIED = "access_denied";
  /** Not a frame of this protocol (a bad length, not UTF-8 JSON, not an object, no type...): the bridge hangs up. */
  public static final String MALFORMED = "malformed_frame";
  /** A length prefix over the bridge's {@code bridge.maxFrameBytes}: the bridge hangs up at once. */
  public static final String TOO_LARGE = "frame_too_large";
  /** A frame begun and not finished within {@code bridge.frameTimeoutMs}: the bridge hangs up. */
  public static final String TOO_SLOW = "frame_timeout";
  /** The connection's first frame did not carry the access token serve asks for: the bridge hangs up. */
  public static final String UNAUTHORIZED = "unauthorized";
  /** More connections than {@code bridge.maxConnections}: the bridge hangs up. */
  public static final String TOO_MANY_CONNECTIONS = "too_many_connections";

  private BridgeFrames() {}

  /** A send or publish; a send with a reply address is a request, whose answer comes back to that address. */
  public static JsonObject message(String type, String address, Object body, JsonObject headers, String replyAddress) {
    JsonObject frame = new JsonObject().put(TYPE, type).put(ADDRESS, address).put(BODY, body);
    if (headers != null && !headers.isEmpty()) {
      frame.put(HEADERS, headers);
    }
    if (replyAddress != null) {
      frame.put(REPLY_ADDRESS, replyAddress);
    }
    return frame;
  }

  public static JsonObject register(String address) {
    return new JsonObject().put(TYPE, REGISTER).put(ADDRESS, address);
  }

  public static JsonObject ping() {
    return new JsonObject().put(TYPE, PING);
  }

  public static JsonObject pong() {
    return new JsonObject().put(TYPE, PONG);
  }

  /** A refused frame: {@code code} is one of the constants above, {@code detail} says why in words. */
  public static JsonObject refused(String code, String detail) {
    JsonObject frame = new JsonObject().put(TYPE, ERR).put(MESSAGE_TEXT, code);
    return detail == null ? frame : frame.put(DETAIL, detail);
  }

  /** A request that failed: the failure as the event bus reported it, sent to the request's reply address. */
  public static JsonObject failed(String replyAddress, String address, String failureType, int failureCode,
      String message) {
    return new JsonObject().put(TYPE, ERR).put(ADDRESS, replyAddress).put(SOURCE_ADDRESS, address)
        .put(FAILURE_CODE, failureCode).put(FAILURE_TYPE, failureType).put(MESSAGE_TEXT, message);
  }

  /** A message for the client: a reply to its request ({@code send} true) or a published event it tails. */
  public static JsonObject delivered(String address, JsonObject headers, Object body, boolean send) {
    return new JsonObject().put(TYPE, MESSAGE).put(ADDRESS, address).put(HEADERS, headers).put(BODY, body)
        .put(SEND_FLAG, send);
  }

  public static String type(JsonObject frame) {
    return frame.getValue(TYPE) instanceof String type ? type : "";
  }

  public static boolean is(JsonObject frame, String type, String address) {
    return type.equals(type(frame)) && address.equals(frame.getValue(ADDRESS));
  }

  /** One frame on the wire: its length, then its JSON. */
  public static Buffer encode(JsonObject frame) {
    return encodeTo(Buffer.buffer(), frame);
  }

  private static final byte[] DELIVERED_HEAD = "{\"type\":\"message\",\"address\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DELIVERED_BODY = ",\"headers\":{},\"body\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DELIVERED_SENT = ",\"send\":true}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DELIVERED_PUBLISHED = ",\"send\":false}".getBytes(StandardCharsets.UTF_8);

  /**
   * Appends the frame {@link #delivered} makes, byte for byte, to {@code out}. A message with no headers and an
   * object body (every list answer, every event) is written around its body's JSON by hand, without an envelope
   * object to build and encode: the bridge writes one per request.
   */
  public static Buffer encodeDelivered(Buffer out, String address, MultiMap headers, Object body, boolean send) {
    if (!headers.isEmpty() || !(body instanceof JsonObject json) || !plain(address)) {
      JsonObject h = new JsonObject();
      headers.forEach(e -> h.put(e.getKey(), e.getValue()));
      return encodeTo(out, delivered(address, h, body, send));
    }
    int start = out.length();
    out.appendInt(0).appendBytes(DELIVERED_HEAD).appendByte((byte) '"')
        .appendString(address, "US-ASCII").appendByte((byte) '"')
        .appendBytes(DELIVERED_BODY).appendBuffer(json.toBuffer()).appendBytes(send ? DELIVERED_SENT : DELIVERED_PUBLISHED);
    return out.setInt(start, out.length() - start - 4);
  }

  /** Printable ASCII with nothing JSON escapes: written as it is. */
  private static boolean plain(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** Appends one frame to {@code out}; returns {@code out}. */
  public static Buffer encodeTo(Buffer out, JsonObject frame) {
    Buffer json = frame.toBuffer();
    return out.appendInt(json.length()).appendBuffer(json);
  }
}
