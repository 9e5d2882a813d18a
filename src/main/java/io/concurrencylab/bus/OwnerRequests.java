package io.concurrencylab.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.UUID;

/**
 * How a serve passes a request on to the list's owner ({@link Addresses#LIST_REQUESTS}), which may be another
 * process, and may be dying or being replaced right now. Each request gets a {@link ListMessages#REQUEST_ID} (the
 * client's own when it gave one); an attempt that gets no answer within {@link #ATTEMPT_MS}, finds no owner, or
 * reaches a serve that no longer owns the list is sent again, with the same id, until the owner answers or
 * {@code holdMs} pass. The owner applies a request id once, so resending is always safe; past the hold the caller
 * gets a 503 {@link ListMessages#FAILING_OVER}, and the owner will not apply an attempt that reaches it after that
 * ({@link ListMessages#HOLD_UNTIL}). Nothing hangs: every attempt has its timeout.
 */
public final class OwnerRequests {
  /** An owner answers in well under a millisecond; a dead one never does. Short, since resending is safe. */
  public static final long ATTEMPT_MS = 500;
  private static final long FIRST_PAUSE_MS = 20;
  private static final long MAX_PAUSE_MS = 200;
  /** Request ids: unique in the cluster (a random prefix per process), cheap (no SecureRandom per request). */
  private static final String ID_PREFIX = UUID.randomUUID() + "-";
  private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

  private OwnerRequests() {}

  public static <T> Future<Message<T>> request(Vertx vertx, String address, Object body, DeliveryOptions options,
      long holdMs) {
    return request(vertx, address, body, options, holdMs, "list.failoverHoldMs");
  }

  /** As above, with {@code bound} naming what set {@code holdMs} (the 503 says it), e.g. "the request's timeout". */
  public static <T> Future<Message<T>> request(Vertx vertx, String address, Object body, DeliveryOptions options,
      long holdMs, String bound) {
    DeliveryOptions withId = new DeliveryOptions().setCodecName(options.getCodecName())
        .setLocalOnly(options.isLocalOnly()); // a copy: the caller's options (often a shared constant) stay as they are
    if (options.getHeaders() != null) {
      options.getHeaders().forEach(h -> withId.addHeader(h.getKey(), h.getValue()));
    }
    if (withId.getHeaders() == null || withId.getHeaders().get(ListMessages.REQUEST_ID) == null) {
      withId.addHeader(ListMessages.REQUEST_ID, ID_PREFIX + IDS.incrementAndGet());
    }
    long deadline = System.nanoTime() + holdMs * 1_000_000;
    withId.getHeaders().set(ListMessages.HOLD_UNTIL, Long.toString(System.currentTimeMillis() + holdMs));
    Promise<Message<T>> answer = Promise.promise();
    attempt(vertx, address, body, withId, deadline, FIRST_PAUSE_MS, holdMs + " ms (" + bound + ")", answer);
    return answer.future();
  }

  private static <T> void attempt(Vertx vertx, String address, Object body, DeliveryOptions options, long deadline,
      long pause, String hold, Promise<Message<T>> answer) {
    long leftMs = (deadline - System.nanoTime()) / 1_000_000;
    options.setSendTimeout(Math.max(1, Math.min(ATTEMPT_MS, leftMs)));
    vertx.eventBus().<T>request(address, body, options).onComplete(ar -> {
      if (ar.succeeded() || !again(ar.cause())) {
        answer.handle(ar);
      } else if (System.nanoTime() + pause * 1_000_000 >= deadline) {
        ReplyException failingOver = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failures.NOT_READY,
            ListMessages.FAILING_OVER + ": no list owner answered within " + hold + "; "
            + "last: " + Failures.describe(ar.cause()));
        // not before the hold ends: an attempt still on its way is applied until then, and never after
        long leftNow = (deadline - System.nanoTime()) / 1_000_000 + 1;
        if (leftNow > 0) {
          vertx.setTimer(leftNow, id -> answer.fail(failingOver));
        } else {
          answer.fail(failingOver);
        }
      } else {
        vertx.setTimer(pause, id -> attempt(vertx, address, body, options, deadline,
            Math.min(MAX_PAUSE_MS, pause * 2), hold, answer));
      }
    });
  }

  /** No owner yet, a dead or frozen one, or one that was replaced: worth sending again. */
  static boolean again(Throwable failure) {
    if (failure instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS, TIMEOUT -> true;
        case RECIPIENT_FAILURE -> re.failureCode() == Failures.NOT_READY
            && ListMessages.NOT_OWNER.equals(re.getMessage());
        case ERROR -> false;
      };
    }
    return false;
  }
}
