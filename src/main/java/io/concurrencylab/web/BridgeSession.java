package io.concurrencylab.web;

import static io.concurrencylab.bus.BridgeFrames.ADDRESS;
import static io.concurrencylab.bus.BridgeFrames.BODY;
import static io.concurrencylab.bus.BridgeFrames.HEADERS;
import static io.concurrencylab.bus.BridgeFrames.REPLY_ADDRESS;
import static io.concurrencylab.bus.BridgeFrames.TIMEOUT_HEADER;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.BridgeFrames;
import io.concurrencylab.bus.ListMessages;
import io.concurrencylab.bus.OwnerRequests;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the TCP bridge: its frames in, the event bus's answers and events out, within limits. A client
 * may request (or send, or publish to) the request addresses of the contract, and tail (register on) its event
 * addresses; nothing else, so no client can forge an event the app itself emits. Every limit ends in an {@code err}
 * frame and, where the client broke the protocol, a closed connection; nothing a client sends is logged above
 * debug.
 *
 * <p>Runs on the bridge verticle's event loop; event-bus answers arrive there too.
 */
final class BridgeSession {
  private static final Logger log = LoggerFactory.getLogger(BridgeSession.class);
  /** The longest a client may ask a request to wait: a whole sweep ({@code lab.squares.run}) may take minutes. */
  static final long MAX_REQUEST_TIMEOUT_MS = 3_600_000;

  /** What one connection may use ({@code bridge.*}). */
  record Limits(int maxFrameBytes, int maxPendingBytes, int maxRequestsInFlight, long frameTimeoutMs,
      long idleTimeoutMs, long defaultTimeoutMs, long listHoldMs) {}

  /** The header the first frame of a connection carries the access token in, when serve has one. */
  static final String TOKEN_HEADER = "token";

  private final Vertx vertx;
  private final EventBus bus;
  private final NetSocket socket;
  private final Limits limits;
  private final FrameReader reader;
  private final Map<String, MessageConsumer<Object>> tails = new HashMap<>();
  private int inFlight;
  private long frameTimer = -1;
  private long idleTimer = -1;
  /** When bytes last arrived (nanoTime): the idle timer looks at it instead of being re-armed per read. */
  private long lastRead = System.nanoTime();
  /**
   * Frames written during this event-loop turn, sent in one socket write at its end: a round of the list's owner
   * answers dozens of requests at once, and a write per answer would cost a system call each.
   */
  private Buffer out;
  private boolean flushScheduled;
  /** Output gathered in a turn past this is written at once. */
  private static final int FLUSH_BYTES = 16_384;
  private boolean closed;
  private final io.concurrencylab.config.AccessToken token;
  private boolean authorized;

  BridgeSession(Vertx vertx, NetSocket socket, Limits limits, io.concurrencylab.config.AccessToken token,
      Runnable onClose) {
    this.token = token;
    this.authorized = token == null;
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.socket = socket;
    this.limits = limits;
    this.reader = new FrameReader(limits.maxFrameBytes(), this::handle, this::refuseAndClose);
    socket.setWriteQueueMaxSize(limits.maxPendingBytes());
    socket.handler(bytes -> {
      lastRead = System.nanoTime();
      reader.handle(bytes);
      watchFrame();
    });
    socket.exceptionHandler(e -> log.debug("bridge connection {}: {}", socket.remoteAddress(), e.toString()));
    socket.closeHandler(v -> {
      closed = true;
      tails.values().forEach(MessageConsumer::unregister);
      tails.clear();
      vertx.cancelTimer(frameTimer);
      vertx.cancelTimer(idleTimer);
      onClose.run();
    });
    armIdle(limits.idleTimeoutMs());
  }

  private void handle(JsonObject frame) {
    if (!authorized) { // the first frame presents the token, or the connection ends here
      Object headers = frame.getValue(HEADERS);
      Object given = headers instanceof JsonObject h ? h.remove(TOKEN_HEADER) : null;
      if (!(given instanceof String s) || !token.matches(s)) {
        reader.stop(BridgeFrames.UNAUTHORIZED, "this bridge asks for the access token in the first frame's "
            + "\"token\" header (lab eb reads it from LAB_AUTH_TOKEN or auth.tokenFile)");
        return;
      }
      authorized = true;
    }
    String type = BridgeFrames.type(frame);
    if (type.equals(BridgeFrames.PING)) {
      write(BridgeFrames.pong());
      return;
    }
    if (!(frame.getValue(ADDRESS) instanceof String address)) {
      reader.stop(BridgeFrames.MALFORMED, type.isEmpty() ? "a frame needs a \"type\" and an \"address\""
          : "a " + Bodies.cut(type, 20) + " frame needs an address (a string)");
      return;
    }
    DeliveryOptions options = options(frame.getValue(HEADERS));
    if (options == null) {
      return; // refused
    }
    switch (type) {
      case BridgeFrames.SEND -> {
        if (!allowed(Addresses.PUBLIC_REQUESTS.contains(address), frame)) {
          return;
        }
        Object replyAddress = frame.getValue(REPLY_ADDRESS);
        if (replyAddress != null && !(replyAddress instanceof String)) {
          reader.stop(BridgeFrames.MALFORMED, "replyAddress must be a string");
          return;
        }
        Object body;
        try {
          body = Bodies.sendable(frame.getValue(BODY));
        } catch (LabException e) { // refused before the bus, as its recipient would: a failure reply, if one is asked
          if (replyAddress instanceof String reply) {
            write(BridgeFrames.failed(reply, address, "RECIPIENT_FAILURE", e.code(), e.getMessage()));
          }
          return;
        }
        if (replyAddress instanceof String reply) {
          request(address, reply, body, options);
        } else {
          bus.send(address, body, options.setLocalOnly(Addresses.servedLocally(address)));
        }
      }
      case BridgeFrames.PUBLISH -> {
        if (allowed(Addresses.PUBLIC_REQUESTS.contains(address), frame)) {
          Object body;
          try {
            body = Bodies.sendable(frame.getValue(BODY));
          } catch (LabException e) {
            return; // a publish has no reply: refused as its recipients would, silently
          }
          // to this serve's own consumers, as a send: one frame must not set every serve of the cluster to work
          bus.publish(address, body, options.setLocalOnly(Addresses.servedLocally(address)));
        }
      }
      case BridgeFrames.REGISTER -> {
        if (allowed(Addresses.PUBLIC_EVENTS.contains(address), frame) && !tails.containsKey(address)) {
          tails.put(address, tail(address));
        }
      }
      case BridgeFrames.UNREGISTER -> {
        MessageConsumer<Object> tail = tails.remove(address);
        if (tail != null) {
          tail.unregister();
        }
      }
      default -> reader.stop(BridgeFrames.MALFORMED, type.isEmpty()
          ? "a frame needs a \"type\" (send, publish, register, unregister or ping)"
          : "unknown frame type " + Bodies.show(frame.getValue("type")));
    }
  }

  private void request(String address, String replyAddress, Object body, DeliveryOptions options) {
    if (inFlight >= limits.maxRequestsInFlight()) {
      write(BridgeFrames.failed(replyAddress, address, "RECIPIENT_FAILURE", 503, "too many requests in flight on "
          + "this connection (bridge.maxRequestsInFlight " + limits.maxRequestsInFlight() + "); wait for a reply"));
      return;
    }
    inFlight++;
    // the list's owner may be failing over: held and sent again with the same request id, within the timeout
    options.setLocalOnly(Addresses.servedLocally(address)); // this serve's own services answer it; the list's owner may be elsewhere
    Future<Message<Object>> sent = Addresses.LIST_REQUESTS.contains(address)
        ? (options.getSendTimeout() < limits.listHoldMs()
            ? OwnerRequests.request(vertx, address, body, options, options.getSendTimeout(), "the request's timeout")
            : OwnerRequests.request(vertx, address, body, options, limits.listHoldMs()))
        : bus.request(address, body, options);
    sent.onComplete(reply -> {
      inFlight--;
      if (reply.succeeded()) {
        write(reply.result(), replyAddress, true);
      } else if (reply.cause() instanceof ReplyException re) {
        JsonObject failed = BridgeFrames.failed(replyAddress, address, re.failureType().name(), re.failureCode(),
            re.getMessage());
        write(re instanceof io.concurrencylab.bus.RemoteFailure remote ? failed.put(BridgeFrames.REMOTE,
            remote.origin()) : failed);
      } else {
        write(BridgeFrames.failed(replyAddress, address, "ERROR", -1, String.valueOf(reply.cause().getMessage())));
      }
    });
  }

  /**
   * A consumer of {@code address}'s events for this client. Events already on their way to it when the client goes
   * (cut off mid-burst) are dropped quietly: Vert.x would log a warning for each.
   */
  private MessageConsumer<Object> tail(String address) {
    MessageConsumer<Object> tail = bus.consumer(address, this::event);
    if (tail instanceof MessageConsumerImpl<Object> impl) {
      impl.discardHandler(gone -> { });
    }
    return tail;
  }

  /** An event for a tail. A client that does not read them is cut off, not buffered for without bound. */
  private void event(Message<Object> event) {
    write(event, event.address(), false);
  }

  /**
   * Only the {@code timeout} header (a whole number, ms, capped at {@link #MAX_REQUEST_TIMEOUT_MS}) and headers with
   * string values pass; no codec or local-only switch can be chosen from outside.
   */
  private DeliveryOptions options(Object headers) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(limits.defaultTimeoutMs())
        .addHeader(io.concurrencylab.bus.WebMessages.ORIGIN, "bridge"); // a client may name itself instead
    if (headers == null) {
      return options;
    }
    if (!(headers instanceof JsonObject json)) {
      reader.stop(BridgeFrames.MALFORMED, "headers must be an object");
      return null;
    }
    for (Map.Entry<String, Object> header : json) {
      // any letter case: the bus's headers ignore it (ViaServe is viaServe there)
      if (header.getKey().equalsIgnoreCase(TOKEN_HEADER) || ListMessages.isInternalHeader(header.getKey())) {
        continue; // never passed on to the bus: the token is this bridge's; the others the app's own (ListMessages)
      }
      boolean timeout = header.getKey().equals(TIMEOUT_HEADER);
      if (timeout && header.getValue() instanceof Number ms && ms.doubleValue() >= 1
          && ms.doubleValue() == Math.rint(ms.doubleValue())) { // (1.5 was taken as 1 ms)
        options.setSendTimeout(Math.min(ms.longValue(), MAX_REQUEST_TIMEOUT_MS));
      } else if (!timeout && header.getValue() instanceof String value) {
        options.getHeaders().set(header.getKey(), value);
      } else {
        reader.stop(BridgeFrames.MALFORMED, "header " + Bodies.show(header.getKey())
            + (timeout ? " must be a whole number of ms, 1 or more (above "
            + MAX_REQUEST_TIMEOUT_MS + " taken as " + MAX_REQUEST_TIMEOUT_MS + ")" : " must be a string"));
        return null;
      }
    }
    return options;
  }

  /**
   * Not fatal: the client may try another address. The refusal names the frame's type and address, and carries its
   * replyAddress, so a client with several requests in flight knows which one it was.
   */
  private boolean allowed(boolean allowed, JsonObject frame) {
    if (!allowed) {
      JsonObject refused = BridgeFrames.refused(BridgeFrames.ACCESS_DENIED, BridgeFrames.type(frame) + " to "
          + Bodies.show(frame.getString(ADDRESS)) + " is not allowed (docs/eb.md: which frames may use which "
          + "addresses)");
      if (frame.getValue(REPLY_ADDRESS) instanceof String reply) {
        refused.put(REPLY_ADDRESS, reply);
      }
      write(refused);
    }
    return allowed;
  }

  private void write(JsonObject frame) {
    if (writable()) {
      BridgeFrames.encodeTo(out, frame);
      written();
    }
  }

  /** A reply ({@code send}) or an event, as a {@code message} frame to {@code address}. */
  private void write(Message<Object> message, String address, boolean send) {
    if (writable()) {
      BridgeFrames.encodeDelivered(out, address, message.headers(), message.body(), send);
      written();
    }
  }

  /** Whether a frame may be written now; makes sure there is an output buffer for it, sent at the end of the turn. */
  private boolean writable() {
    if (closed) {
      return false;
    }
    if (socket.writeQueueFull()) {
      // the client stopped reading: cut it off rather than hold its output
      log.debug("bridge connection {}: over {} bytes of output not read; closing", socket.remoteAddress(),
          limits.maxPendingBytes());
      closed = true;
      out = null;
      abort();
      return false;
    }
    if (out == null) {
      out = Buffer.buffer(256);
    }
    if (!flushScheduled) {
      flushScheduled = true;
      vertx.getOrCreateContext().runOnContext(v -> { // after the answers already queued on this loop
        flushScheduled = false;
        flush();
      });
    }
    return true;
  }

  /** A frame was added to {@link #out}: a large output goes now, so a client that does not read is seen as such. */
  private void written() {
    if (out.length() >= FLUSH_BYTES) {
      flush();
    }
  }

  /** Sends what this turn wrote, in one write. */
  private void flush() {
    Buffer frames = out;
    out = null;
    if (frames != null && !closed) {
      socket.write(frames);
    }
  }

  /**
   * Drops the connection and what it has not sent, with a reset, at once. A graceful close would first wait for the
   * queued output to reach the kernel, which for a client that stopped reading is never: its connection and tails
   * would live on until it read again. Vert.x's handler makes even the channel's own close graceful, so the close
   * starts below it, from its context.
   */
  private void abort() {
    ChannelHandlerContext connection = ((NetSocketInternal) socket).channelHandlerContext();
    connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    connection.close();
  }

  /** Tells the client what was wrong, then hangs up. */
  private void refuseAndClose(String code, String detail) {
    log.debug("bridge connection {}: {} ({}); closing", socket.remoteAddress(), code, detail);
    if (!closed) {
      write(BridgeFrames.refused(code, detail));
      flush();
      closed = true;
      socket.end();
    }
  }

  /** A frame begun must be finished within {@code bridge.frameTimeoutMs}: a trickle does not hold a connection. */
  private void watchFrame() {
    if (!reader.partial()) {
      if (frameTimer >= 0) {
        vertx.cancelTimer(frameTimer);
        frameTimer = -1;
      }
    } else if (frameTimer < 0) {
      frameTimer = vertx.setTimer(limits.frameTimeoutMs(), id -> reader.stop(BridgeFrames.TOO_SLOW,
          "a frame not complete within " + limits.frameTimeoutMs() + " ms (bridge.frameTimeoutMs)"));
    }
  }

  /**
   * A connection with nothing to do (no tail, no request in flight) for {@code bridge.idleTimeoutMs} is closed; a
   * tail waits for events however quiet they are.
   */
  private void armIdle(long delayMs) {
    idleTimer = vertx.setTimer(delayMs, id -> {
      long quietMs = (System.nanoTime() - lastRead) / 1_000_000;
      if (quietMs < limits.idleTimeoutMs()) {
        armIdle(limits.idleTimeoutMs() - quietMs); // bytes came meanwhile: look again when it could be idle
      } else if (!tails.isEmpty() || inFlight > 0) {
        armIdle(limits.idleTimeoutMs());
      } else {
        log.debug("bridge connection {}: idle; closing", socket.remoteAddress());
        closed = true;
        socket.close();
      }
    });
  }
}
