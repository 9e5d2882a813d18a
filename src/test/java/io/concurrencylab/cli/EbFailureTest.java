package io.concurrencylab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ExitCodes;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class EbFailureTest {
  /** An err frame as the bridge writes it for a failed request (FrameHelper.sendErrFrame). */
  private static JsonObject failed(String type, int code, String message) {
    return new JsonObject().put("type", "err").put("address", EbClient.REPLY_ADDRESS)
        .put("sourceAddress", Addresses.LIST_ADD).put("failureCode", code).put("failureType", type)
        .put("message", message);
  }

  private static JsonObject refused(String message) {
    return new JsonObject().put("type", "err").put("message", message);
  }

  @Test
  void aFailureReplyShowsItsCodeAndMessage() {
    EbFailure f = EbFailure.fromErr(failed("RECIPIENT_FAILURE", 409, "list is full (capacity 1000)"), Addresses.LIST_ADD);
    assertThat(f.exitCode()).isEqualTo(ExitCodes.FAILURE_REPLY);
    assertThat(f.getMessage()).isEqualTo("failure reply 409 from lab.list.add: list is full (capacity 1000)");
  }

  @Test
  void aFailureWhereTheWorkRanSaysWhereAndTraceTellsHow() {
    io.vertx.core.json.JsonObject origin = io.concurrencylab.bus.RemoteFailure.of(500,
        new ArithmeticException("unlucky")).origin();
    EbFailure f = EbFailure.fromErr(failed("RECIPIENT_FAILURE", 500, "ArithmeticException: unlucky")
        .put("remote", origin), Addresses.FACTORIAL_COMPUTE);
    assertThat(f.getMessage()).contains("ArithmeticException: unlucky").contains("in " + origin.getString("thread"))
        .contains("pid " + ProcessHandle.current().pid()).contains("--trace");
    assertThat(f.remote()).isEqualTo(origin);
    assertThat(CommandArgs.remoteTrace(f.remote())).startsWith("remote: java.lang.ArithmeticException: unlucky")
        .contains("\n    at io.concurrencylab.cli.EbFailureTest");
  }

  @Test
  void timeoutsAndMissingHandlersHaveTheirOwnCodes() {
    EbFailure timeout = EbFailure.fromErr(failed("TIMEOUT", -1,
        "Timed out after waiting 1(ms) for a reply. address: __vertx.reply.3, repliedAddress: lab.factorial.compute"),
        Addresses.FACTORIAL_COMPUTE);
    assertThat(timeout.exitCode()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(timeout.getMessage()).isEqualTo(
        "timeout: no reply from lab.factorial.compute in time (Timed out after waiting 1(ms) for a reply)");

    EbFailure none = EbFailure.fromErr(failed("NO_HANDLERS", -1, "No handlers for address lab.squares.run"),
        Addresses.SQUARES_RUN);
    assertThat(none.exitCode()).isEqualTo(ExitCodes.NO_HANDLER);
    assertThat(none.getMessage()).startsWith("no handler at lab.squares.run");
  }

  @Test
  void everyReplyFailureMapsLikeTheSharedTable() {
    for (ReplyFailure type : ReplyFailure.values()) {
      assertThat(EbFailure.fromErr(failed(type.name(), 400, "x"), Addresses.LIST_ADD).exitCode()).as(type.name())
          .isEqualTo(ExitCodes.of(new ReplyException(type, 400, "x")));
    }
  }

  @Test
  void accessDeniedIsARefusalThatNamesThePublicAddresses() {
    EbFailure f = EbFailure.fromErr(refused("access_denied"), "lab.internal.thing");
    assertThat(f.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(f.getMessage()).startsWith("refused by the bridge: lab.internal.thing is not a public address")
        .contains(Addresses.LIST_SNAPSHOT).contains(Addresses.LIST_CHANGED);
    assertThat(EbFailure.fromErr(refused("access_denied"), "").getMessage())
        .startsWith("refused by the bridge: the empty address is not a public address");
    assertThat(EbFailure.fromErr(refused("access_denied"), "x".repeat(5_000)).getMessage()).hasSizeLessThan(1_000);
  }

  /** Serve's bridge.maxFrameBytes is smaller than this side's: the message is too large, a usage error. */
  @Test
  void aFrameTooLargeForServesBridgeIsAUsageError() {
    EbFailure f = EbFailure.fromErr(refused("frame_too_large"), Addresses.LIST_ADD);
    assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(f.getMessage()).startsWith("the bridge refused the frame for lab.list.add: frame_too_large");
  }

  @Test
  void anythingElseFromTheBridgeIsUnexpected() {
    assertThat(EbFailure.fromErr(refused("unknown_type"), "x").exitCode()).isEqualTo(ExitCodes.UNEXPECTED);
    assertThat(EbFailure.fromErr(failed("NEW_KIND", 1, "?"), "x").exitCode()).isEqualTo(ExitCodes.UNEXPECTED);
  }

  @Test
  void anUnreachableAppSaysWhatToStart() {
    EbFailure f = EbFailure.unreachable("127.0.0.1", 7000, new ConnectException("Connection refused"));
    assertThat(f.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(f.getMessage()).isEqualTo(
        "the app is not reachable at 127.0.0.1:7000 (Connection refused); start it with: launcher/lab serve");
    assertThat(EbFailure.notABridge("127.0.0.1", 8080, "it hung up on a ping").exitCode())
        .isEqualTo(ExitCodes.UNREACHABLE);
  }
}
