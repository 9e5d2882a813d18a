package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

class RemoteFailureTest {
  @Test
  void carriesTypeThreadProcessAndBoundedStackIncludingCauses() {
    Exception cause = new IllegalStateException("deep");
    RemoteFailure failure = RemoteFailure.of(500, new RuntimeException("outer", cause));
    assertThat(failure.failureCode()).isEqualTo(500);
    assertThat(failure.getMessage()).isEqualTo("RuntimeException: outer");
    assertThat(failure.origin().getString("type")).isEqualTo("java.lang.RuntimeException");
    assertThat(failure.origin().getString("thread")).isEqualTo(Thread.currentThread().getName());
    assertThat(failure.origin().getLong("pid")).isEqualTo(ProcessHandle.current().pid());
    JsonArray stack = failure.origin().getJsonArray("stack");
    assertThat(stack.size()).isLessThanOrEqualTo(RemoteFailure.MAX_FRAMES + 1);
    assertThat(stack.getString(0)).startsWith("at io.concurrencylab.bus.RemoteFailureTest");
  }

  @Test
  @SuppressWarnings("unchecked")
  void travelsWholeOverTheWireAndFailsTheRequestersFuture() {
    Vertx vertx = Vertx.vertx();
    try {
      RemoteFailure.register(vertx.eventBus());
      RemoteFailure sent = RemoteFailure.of(500, new ArithmeticException("unlucky"));
      // what another member decodes, as the clustered event bus would
      MessageCodec<RemoteFailure, RemoteFailure> codec = (MessageCodec<RemoteFailure, RemoteFailure>)
          (MessageCodec<?, ?>) codecOf(vertx);
      Buffer wire = Buffer.buffer();
      codec.encodeToWire(wire, sent);
      RemoteFailure received = codec.decodeFromWire(0, wire);
      assertThat(received.failureCode()).isEqualTo(500);
      assertThat(received.getMessage()).isEqualTo(sent.getMessage());
      assertThat(received.origin()).isEqualTo(sent.origin());

      vertx.eventBus().consumer("work", m -> Failures.reply(m, new ArithmeticException("unlucky")));
      Throwable failed = vertx.eventBus().request("work", 1).toCompletionStage().toCompletableFuture()
          .handle((ok, e) -> e).join();
      assertThat(failed).isInstanceOf(RemoteFailure.class).isInstanceOf(ReplyException.class);
      assertThat(((RemoteFailure) failed).origin().getString("thread")).contains("eventloop");
    } finally {
      vertx.close().await();
    }
  }

  /** The codec RemoteFailure registered, found by sending one to a local consumer that captures its codec. */
  private static MessageCodec<?, ?> codecOf(Vertx vertx) {
    java.util.concurrent.atomic.AtomicReference<MessageCodec<?, ?>> codec = new java.util.concurrent.atomic.AtomicReference<>();
    vertx.eventBus().<Object>consumer("probe", m -> codec.set(((io.vertx.core.eventbus.impl.MessageImpl<?, ?>) m).codec()))
        .completion().await();
    vertx.eventBus().send("probe", RemoteFailure.of(500, new RuntimeException("x")));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (codec.get() == null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return codec.get();
  }
}
