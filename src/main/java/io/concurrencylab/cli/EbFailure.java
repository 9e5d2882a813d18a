package io.concurrencylab.cli;

import io.concurrencylab.bus.BridgeFrames;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ExitCodes;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Why an {@code eb} command failed: its exit code ({@link ExitCodes}) and the one line the user reads. Every way
 * the CLI can fail is turned into an exit code here, and only here; a failed request goes through
 * {@link ExitCodes#of}, the table every command shares.
 */
public final class EbFailure extends Exception {
  private final int exitCode;
  private final JsonObject remote;

  private EbFailure(int exitCode, String line, Throwable cause) {
    this(exitCode, line, cause, null);
  }

  private EbFailure(int exitCode, String line, Throwable cause, JsonObject remote) {
    super(line, cause);
    this.exitCode = exitCode;
    this.remote = remote;
  }

  public int exitCode() {
    return exitCode;
  }

  /** Where and how the work failed, when it failed where it ran (a bug, not bad input): type, thread, pid, host, stack. */
  public JsonObject remote() {
    return remote;
  }

  /** An {@code err} frame: a failed request (it has a failureType), or a refused frame (it has only a message). */
  static EbFailure fromErr(JsonObject err, String address) {
    String message = err.getString(BridgeFrames.MESSAGE_TEXT, "");
    String type = err.getString(BridgeFrames.FAILURE_TYPE);
    if (type == null) {
      String detail = err.getString(BridgeFrames.DETAIL);
      return BridgeFrames.ACCESS_DENIED.equals(message) ? refused(address)
          // too large for serve's bridge.maxFrameBytes (this side's was larger): the message, not the app, is wrong
          : new EbFailure(BridgeFrames.TOO_LARGE.equals(message) ? ExitCodes.USAGE : ExitCodes.UNEXPECTED,
              "the bridge refused the frame for " + address + ": " + message + (detail == null ? "" : " (" + detail
              + ")"), null);
    }
    ReplyFailure failure;
    try {
      failure = ReplyFailure.valueOf(type);
    } catch (IllegalArgumentException unknown) {
      return new EbFailure(ExitCodes.UNEXPECTED, "unknown failure " + type + " from " + address + ": " + message, null);
    }
    ReplyException reply = new ReplyException(failure, err.getInteger(BridgeFrames.FAILURE_CODE, -1), message);
    JsonObject remote = err.getJsonObject(BridgeFrames.REMOTE);
    String where = remote == null ? "" : " (in " + remote.getString("thread") + ", pid " + remote.getValue("pid")
        + " on " + remote.getString("host") + "; --trace prints its stack)";
    String line = switch (failure) {
      case RECIPIENT_FAILURE -> "failure reply " + reply.failureCode() + " from " + address + ": " + message + where;
      case TIMEOUT -> "timeout: no reply from " + address + " in time (" + message.split("\\. ", 2)[0] + ")";
      case NO_HANDLERS -> "no handler at " + address + ": nothing in the app consumes it (yet)";
      case ERROR -> "error from " + address + ": " + message;
    };
    return new EbFailure(ExitCodes.of(reply), line, null, remote);
  }

  static EbFailure refused(String address) {
    String why = Addresses.PUBLIC_EVENTS.contains(address)
        ? "is an event the app itself publishes: it can be tailed, not sent or published to"
        : Addresses.isPublic(address) ? "(is the app another version of lab?)"
        : "is not a public address; requests: " + String.join(", ", Addresses.PUBLIC_REQUESTS)
            + "; events: " + String.join(", ", Addresses.PUBLIC_EVENTS);
    String shown = address.isEmpty() ? "the empty address" : io.concurrencylab.bus.Bodies.cut(address, 80);
    return new EbFailure(ExitCodes.REFUSED, "refused by the bridge: " + shown + " " + why, null);
  }

  static EbFailure unreachable(String host, int port, IOException cause) {
    return new EbFailure(ExitCodes.UNREACHABLE, "the app is not reachable at " + host + ":" + port + " ("
        + cause.getMessage() + "); start it with: launcher/lab serve", cause);
  }

  static EbFailure lost(String host, int port, IOException cause) {
    return new EbFailure(ExitCodes.UNREACHABLE, "lost the connection to the app at " + host + ":" + port + " ("
        + (cause.getMessage() == null ? "closed" : cause.getMessage()) + "); is launcher/lab serve still running?",
        cause);
  }

  static EbFailure notABridge(String host, int port, String what) {
    return new EbFailure(ExitCodes.UNREACHABLE, host + ":" + port + " is not the event-bus bridge (" + what
        + "); give the port that launcher/lab serve prints as 'event-bus bridge on'", null);
  }

  /** The bridge is at {@code bridge.maxConnections}: it is there and serving, just not one more client now. */
  static EbFailure full(String host, int port) {
    return new EbFailure(ExitCodes.UNREACHABLE, "the bridge at " + host + ":" + port + " is full: it has "
        + "bridge.maxConnections connections (pages, tails, other lab eb); try again once one has closed", null);
  }

  static EbFailure unauthorized(String host, int port, boolean gave) {
    return new EbFailure(ExitCodes.REFUSED, "the bridge at " + host + ":" + port + (gave
        ? " refused the access token: not the one serve has (LAB_AUTH_TOKEN or auth.tokenFile)"
        : " asks for an access token: set LAB_AUTH_TOKEN, or --set auth.tokenFile=FILE"), null);
  }

  static EbFailure noAnswer(String what, long ms) {
    return new EbFailure(ExitCodes.TIMEOUT, "timeout: no answer from the bridge to " + what + " within " + ms + " ms",
        null);
  }

  public static EbFailure usage(String line) {
    return new EbFailure(ExitCodes.USAGE, line, null);
  }
}
