package io.concurrencylab.cli;

import io.concurrencylab.bus.BridgeFrames;

import static io.concurrencylab.cli.BridgeConnection.NO_DEADLINE;
import static io.concurrencylab.cli.BridgeConnection.deadlineIn;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code eb} operations, over one bridge connection each: request, send or publish, tail. Blocking and
 * single-threaded: a command does one thing and exits.
 */
public final class EbClient implements AutoCloseable {
  /** Where the bridge sends our request's answer; it never reaches the event bus, so one fixed name will do. */
  static final String REPLY_ADDRESS = "lab-cli-reply";
  /** The bridge answers a request within its own timeout; this covers the trip, so a silent bridge ends the wait. */
  static final long GRACE_MS = 5_000;
  /** How long a send, publish or register may wait for the bridge to confirm it. */
  static final long CONFIRM_MS = 10_000;

  private final BridgeConnection connection;

  private EbClient(BridgeConnection connection) {
    this.connection = connection;
  }

  public static EbClient connect(String host, int port) throws EbFailure {
    return connect(host, port, null);
  }

  /** @param token the access token serve asks for, or null */
  public static EbClient connect(String host, int port, String token) throws EbFailure {
    return new EbClient(BridgeConnection.open(host, port, token));
  }

  /** @param maxFrameBytes the bridge's bridge.maxFrameBytes: a larger message is a usage failure, not sent */
  public static EbClient connect(String host, int port, String token, int maxFrameBytes) throws EbFailure {
    return new EbClient(BridgeConnection.open(host, port, token).limitFrames(maxFrameBytes));
  }

  /** Sends a request and returns the reply's body (a JsonObject, JsonArray, String, Number, Boolean or null). */
  public Object request(String address, Object body, JsonObject headers, long timeoutMs) throws EbFailure {
    JsonObject withTimeout = headers.copy().put(BridgeFrames.TIMEOUT_HEADER, timeoutMs);
    connection.write(BridgeFrames.message(BridgeFrames.SEND, address, body, withTimeout, REPLY_ADDRESS));
    long deadline = deadlineIn(timeoutMs + GRACE_MS);
    while (true) {
      JsonObject frame = connection.read(deadline);
      if (frame == null) {
        throw EbFailure.noAnswer("the request to " + address, timeoutMs + GRACE_MS);
      }
      if (BridgeFrames.is(frame, BridgeFrames.MESSAGE, REPLY_ADDRESS)) {
        return frame.getValue(BridgeFrames.BODY);
      }
      if (BridgeFrames.ERR.equals(BridgeFrames.type(frame))) { // our request failed, or the bridge refused it
        throw EbFailure.fromErr(frame, address);
      }
    }
  }

  /** Point-to-point, no reply asked for; returns once the bridge has accepted it. */
  public void send(String address, Object body, JsonObject headers) throws EbFailure {
    post(BridgeFrames.SEND, address, body, headers);
  }

  /** To every consumer of the address; returns once the bridge has accepted it. */
  public void publish(String address, Object body, JsonObject headers) throws EbFailure {
    post(BridgeFrames.PUBLISH, address, body, headers);
  }

  private void post(String type, String address, Object body, JsonObject headers) throws EbFailure {
    connection.write(BridgeFrames.message(type, address, body, headers, null));
    confirm(address, frame -> {});
  }

  /**
   * Subscribes to every address, calls {@code ready}, then hands each published message to {@code out} until
   * {@code count} messages (0: no limit) or {@code seconds} after ready (0: no limit).
   *
   * @return how many messages were handed over
   */
  public int tail(List<String> addresses, int count, long seconds, Runnable ready, Consumer<Received> out)
      throws EbFailure {
    int[] received = {0};
    Consumer<JsonObject> deliver = frame -> {
      if (count == 0 || received[0] < count) {
        received[0]++;
        out.accept(new Received(frame.getString(BridgeFrames.ADDRESS), frame.getValue(BridgeFrames.BODY),
            frame.getJsonObject(BridgeFrames.HEADERS, new JsonObject())));
      }
    };
    for (String address : addresses) { // one at a time, so a refusal names its address
      connection.write(BridgeFrames.register(address));
      confirm(address, deliver);
    }
    ready.run();
    long deadline = seconds > 0 ? deadlineIn(seconds * 1_000) : NO_DEADLINE;
    while (count == 0 || received[0] < count) {
      JsonObject frame = connection.read(deadline);
      if (frame == null) {
        break;
      }
      if (BridgeFrames.ERR.equals(BridgeFrames.type(frame))) {
        throw EbFailure.fromErr(frame, String.join(", ", addresses));
      }
      if (BridgeFrames.MESSAGE.equals(BridgeFrames.type(frame))) {
        deliver.accept(frame);
      }
    }
    return received[0];
  }

  /**
   * Pings and waits for the pong. The bridge handles a connection's frames in order, so a refusal of what was sent
   * before the ping arrives before the pong.
   */
  private void confirm(String address, Consumer<JsonObject> onMessage) throws EbFailure {
    connection.write(BridgeFrames.ping());
    long deadline = deadlineIn(CONFIRM_MS);
    while (true) {
      JsonObject frame = connection.read(deadline);
      if (frame == null) {
        throw EbFailure.noAnswer("the frame for " + address, CONFIRM_MS);
      }
      switch (BridgeFrames.type(frame)) {
        case BridgeFrames.PONG -> {
          return;
        }
        case BridgeFrames.ERR -> throw EbFailure.fromErr(frame, address);
        case BridgeFrames.MESSAGE -> onMessage.accept(frame);
        default -> { } // nothing else is ours to handle
      }
    }
  }

  @Override
  public void close() {
    connection.close();
  }
}
