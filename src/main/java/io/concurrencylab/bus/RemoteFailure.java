package io.concurrencylab.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Q6 across processes: a failure reply that carries its story, as Python's {@code concurrent.futures} hands the
 * caller the worker's exception type, message and traceback ({@code _RemoteTraceback}). Vert.x's own
 * {@link ReplyException} codec carries only a code and a message (the cause is dropped on the wire); this one also
 * carries {@link #origin()}: {@code {"type", "message", "thread", "pid", "host", "stack": [...]}}, the exception as
 * it was thrown where the work ran (its causes' frames included, at most {@link #MAX_FRAMES} of them).
 *
 * <p>A replier sends it with {@code message.reply(failure)} (see {@link Failures#reply}): the requester's future
 * fails with it, on this process or another. Every event bus that sends or receives one registers the codec
 * ({@link #register}); a replier without it falls back to a plain failure reply.
 */
public final class RemoteFailure extends ReplyException {
  public static final String CODEC = "lab-remote-failure";
  static final int MAX_FRAMES = 40;
  private static final String HOST = host();
  private final JsonObject origin;

  public RemoteFailure(int code, String message, JsonObject origin) {
    super(ReplyFailure.RECIPIENT_FAILURE, code, message, true);
    this.origin = origin;
  }

  /** The failure of {@code e}, here and now: its type, message, this thread, this process, its stack. */
  public static RemoteFailure of(int code, Throwable e) {
    String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    JsonObject origin = new JsonObject().put("type", e.getClass().getName()).put("message", e.getMessage())
        .put("thread", Thread.currentThread().getName()).put("pid", ProcessHandle.current().pid()).put("host", HOST)
        .put("stack", stack(e));
    return new RemoteFailure(code, message, origin);
  }

  /** Where and how it failed: {@code {"type", "message", "thread", "pid", "host", "stack"}}. */
  public JsonObject origin() {
    return origin;
  }

  /** The frames as Java prints them ("at ...", then "Caused by: ..." and its frames), bounded. */
  static JsonArray stack(Throwable e) {
    List<String> lines = new ArrayList<>();
    for (Throwable t = e; t != null && lines.size() < MAX_FRAMES; t = t.getCause() == t ? null : t.getCause()) {
      if (t != e) {
        lines.add("Caused by: " + t);
      }
      for (StackTraceElement frame : t.getStackTrace()) {
        if (lines.size() >= MAX_FRAMES) {
          lines.add("...");
          break;
        }
        lines.add("at " + frame);
      }
    }
    return new JsonArray(new ArrayList<Object>(lines));
  }

  /** Registers the codec (idempotent): on every event bus that sends or may receive a remote failure. */
  public static void register(EventBus bus) {
    try {
      bus.registerDefaultCodec(RemoteFailure.class, new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of the same Vert.x did
    }
  }

  /** This machine's name, without a DNS look-up (which could block an event loop for seconds). */
  private static String host() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (Exception e) {
      String env = System.getenv("HOSTNAME");
      return env != null ? env : "localhost";
    }
  }

  private static final class Codec implements MessageCodec<RemoteFailure, RemoteFailure> {
    @Override
    public void encodeToWire(Buffer buffer, RemoteFailure failure) {
      Buffer json = new JsonObject().put("code", failure.failureCode()).put("message", failure.getMessage())
          .put("origin", failure.origin).toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public RemoteFailure decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      JsonObject json = new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
      return new RemoteFailure(json.getInteger("code"), json.getString("message"), json.getJsonObject("origin"));
    }

    @Override
    public RemoteFailure transform(RemoteFailure failure) {
      return failure;
    }

    @Override
    public String name() {
      return CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
