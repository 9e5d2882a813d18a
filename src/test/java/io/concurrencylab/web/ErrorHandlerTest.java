package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.WebMessages.Error;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.ext.web.handler.HttpException;
import org.junit.jupiter.api.Test;

/** The one mapping from a failure to an HTTP status. */
class ErrorHandlerTest {
  @Test
  void aRecipientFailureKeepsItsHttpAlignedCode() {
    assertThat(ErrorHandler.map(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failures.CONFLICT, "list is full"), -1))
        .isEqualTo(new Error(409, "list is full"));
    assertThat(ErrorHandler.map(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failures.BAD_INPUT, "bad"), -1))
        .isEqualTo(new Error(400, "bad"));
    assertThat(ErrorHandler.map(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failures.NOT_FOUND, "no"), -1).status())
        .isEqualTo(404);
  }

  @Test
  void aRecipientCodeOutsideTheHttpRangeIsA500WithItsMessage() {
    assertThat(ErrorHandler.map(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 7, "odd"), -1))
        .isEqualTo(new Error(500, "odd"));
    assertThat(ErrorHandler.map(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, -1, "odd"), -1).status())
        .isEqualTo(500);
  }

  @Test
  void noHandlerIs503AndTimeoutIs504() {
    Error none = ErrorHandler.map(new ReplyException(ReplyFailure.NO_HANDLERS, "No handlers for address lab.x"), -1);
    assertThat(none).isEqualTo(new Error(503, "not available: no handler for address lab.x"));
    Error late = ErrorHandler.map(new ReplyException(ReplyFailure.TIMEOUT, "Timed out after waiting 30000(ms)"), -1);
    assertThat(late.status()).isEqualTo(504);
    assertThat(late.error()).startsWith("timeout: ");
    assertThat(ErrorHandler.map(new ReplyException(ReplyFailure.ERROR, "boom"), -1).status()).isEqualTo(500);
  }

  @Test
  void webFailuresKeepTheirStatus() {
    assertThat(ErrorHandler.map(LabException.badInput("malformed JSON"), -1)).isEqualTo(new Error(400, "malformed JSON"));
    assertThat(ErrorHandler.map(new HttpException(413), -1).status()).isEqualTo(413);
    assertThat(ErrorHandler.map(null, 405)).isEqualTo(new Error(405, "method not allowed"));
    assertThat(ErrorHandler.map(null, 404)).isEqualTo(new Error(404, "not found"));
    assertThat(ErrorHandler.map(null, -1).status()).isEqualTo(500);
  }

  @Test
  void aFailureWhereTheWorkRanKeepsItsOrigin() {
    io.concurrencylab.bus.RemoteFailure failure = io.concurrencylab.bus.RemoteFailure.of(500, new IllegalStateException("x"));
    io.concurrencylab.bus.WebMessages.Error error = ErrorHandler.map(failure, -1);
    assertThat(error.status()).isEqualTo(500);
    assertThat(error.remote()).isEqualTo(failure.origin());
    assertThat(error.toJson().getJsonObject("remote").getString("type")).isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void anythingElseIsA500ThatNamesIt() {
    assertThat(ErrorHandler.map(new IllegalStateException("oops"), -1))
        .isEqualTo(new Error(500, "unexpected: IllegalStateException: oops"));
  }
}
