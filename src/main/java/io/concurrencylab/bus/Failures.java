package io.concurrencylab.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Failure codes of the contract, aligned with HTTP so the web layer and the CLI can map them without a table of
 * their own. A recipient answers bad input with {@code message.fail(code, text)}; callers branch on
 * {@link ReplyFailure} first (TIMEOUT, NO_HANDLERS, RECIPIENT_FAILURE), then on the code.
 */
public final class Failures {
  private Failures() {}

  /** The body is not what the address accepts. Nothing was changed. */
  public static final int BAD_INPUT = 400;
  /** The thing asked for does not exist. */
  public static final int NOT_FOUND = 404;
  /** The request conflicts with the state, e.g. the list is full. Nothing was changed. */
  public static final int CONFLICT = 409;
  /** Something broke while handling a valid request; the handler keeps serving. */
  public static final int UNEXPECTED = 500;
  /** A needed service is not there (yet). */
  public static final int NOT_READY = 503;

  /**
   * Answers a request with the failure carried by {@code e}: its code when it is a {@link LabException} or a failure
   * reply passed on from further along (so the caller hears what the worker said), 503 when nobody further along
   * answered, else 500.
   */
  public static void reply(Message<?> message, Throwable e) {
    if (e instanceof LabException lab) {
      message.fail(lab.code(), lab.getMessage());
    } else if (e instanceof RemoteFailure remote) {
      reply(message, remote); // passed on as it came: its origin is where the work ran
    } else if (e instanceof ReplyException re) {
      message.fail(re.failureType() == ReplyFailure.RECIPIENT_FAILURE ? re.failureCode() : NOT_READY,
          re.failureType() == ReplyFailure.RECIPIENT_FAILURE ? re.getMessage() : describe(re));
    } else {
      reply(message, RemoteFailure.of(UNEXPECTED, e)); // a bug where the work ran: its type, thread, process, stack
    }
  }

  private static void reply(Message<?> message, RemoteFailure failure) {
    try {
      message.reply(failure);
    } catch (IllegalArgumentException noCodec) { // this event bus never registered RemoteFailure's codec
      message.fail(failure.failureCode(), failure.getMessage());
    }
  }

  /** One readable line for a failed request, e.g. {@code 409 list is full (capacity 1000)} or {@code timeout: ...}. */
  public static String describe(Throwable e) {
    if (e instanceof ReplyException re) {
      return switch (re.failureType()) {
        case RECIPIENT_FAILURE -> re.failureCode() + " " + re.getMessage();
        case TIMEOUT -> "timeout: " + re.getMessage();
        case NO_HANDLERS -> "no handler: " + re.getMessage();
        case ERROR -> "error: " + re.getMessage();
      };
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
