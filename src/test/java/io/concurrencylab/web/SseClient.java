package io.concurrencylab.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A raw HTTP client on {@code /events} that parses the Server-Sent Events as they arrive. */
final class SseClient implements AutoCloseable {
  record Frame(String event, String data) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final HttpClient http;
  final HttpClientResponse response;
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final List<Frame> seen = Collections.synchronizedList(new ArrayList<>());
  private final StringBuilder pending = new StringBuilder();

  private SseClient(HttpClient http, HttpClientResponse response) {
    this.http = http;
    this.response = response;
    response.handler(chunk -> parse(chunk.toString()));
  }

  /** Connects; returns once the response headers are in (the server is then subscribed). */
  static SseClient open(Vertx vertx, int port, String path) {
    HttpClient http = vertx.createHttpClient();
    HttpClientResponse response = http.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(request -> request.putHeader("Accept", "text/event-stream").send()).await();
    return new SseClient(http, response);
  }

  private synchronized void parse(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      String event = "message";
      StringBuilder data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(6));
        }
      }
      if (data != null) {
        frames.add(new Frame(event, data.toString()));
      }
    }
  }

  /** The next frame matching {@code wanted}, skipping (but remembering) others; fails after {@code timeout}. */
  Frame await(Predicate<Frame> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Frame frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
      if (frame == null) {
        throw new AssertionError("no matching event within " + timeout + "; seen: " + seen);
      }
      seen.add(frame);
      if (wanted.test(frame)) {
        return frame;
      }
    }
  }

  /** Every frame taken so far by {@link #await}. */
  List<Frame> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  @Override
  public void close() {
    http.close().await();
  }
}
