package io.concurrencylab.web;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.WebMessages;
import io.concurrencylab.bus.WebMessages.Tap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /events}: Server-Sent Events, hand-rolled (vertx-web 5.0 has no SSE handler). Each public event of the
 * contract goes out with its address as the event name and its body as data; wiretap taps as {@code wiretap}
 * events, unless the client asked {@code ?wiretap=false}. The stream carries nothing else.
 *
 * <p>Runs on the web verticle's event loop; taps from other threads hop onto it. A client that cannot keep up is
 * disconnected rather than buffered for without bound; EventSource reconnects and the page reloads its state.
 */
final class EventStream implements Handler<RoutingContext> {
  static final long KEEPALIVE_MS = 15_000;
  private final Vertx vertx;
  private final Context context;
  private final Function<Boolean, Future<?>> tapListening;
  private final int maxClients;
  private final Set<Client> clients = new LinkedHashSet<>();
  private long nextId;
  private long keepalive = -1;
  private Future<Void> subscribed;

  private record Client(HttpServerResponse response, boolean wiretap) {}

  /**
   * @param tapListening told whether any client wants wiretap events; completes once taps flow
   * @param maxClients streams open at once ({@code http.maxEventStreams}); one more is a 503
   */
  EventStream(Vertx vertx, Function<Boolean, Future<?>> tapListening, int maxClients) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.tapListening = tapListening;
    this.maxClients = maxClients;
  }

  /** Starts the keep-alive; the subscriptions to the public events come with the first client. */
  Future<?> start() {
    keepalive = vertx.setPeriodic(KEEPALIVE_MS, id -> broadcast(Buffer.buffer(":\n\n"), false));
    return Future.succeededFuture();
  }

  /**
   * Subscribes to the public events once a first client reads them (every list operation is such an event: until a
   * page is opened, a busy list costs no delivery here). They stay subscribed: a consumer that unregisters may still
   * be handed the messages in flight, which Vert.x discards with a WARN each. Completes once every one is registered.
   */
  private Future<Void> subscribe() {
    if (subscribed == null) {
      List<Future<Void>> done = new ArrayList<>();
      for (String address : Addresses.PUBLIC_EVENTS) {
        done.add(vertx.eventBus().consumer(address, m -> send(address, encode(m.body()), false)).completion());
      }
      subscribed = Future.all(done).mapEmpty();
    }
    return subscribed;
  }

  void stop() {
    vertx.cancelTimer(keepalive);
    clients.forEach(c -> c.response().end());
    clients.clear();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (clients.size() >= maxClients) {
      ctx.fail(new LabException(503, "too many event streams open (" + clients.size() + ", http.maxEventStreams)"));
      return;
    }
    java.util.List<String> wiretap = ctx.queryParams().getAll("wiretap");
    if (wiretap.size() > 1 || wiretap.size() == 1 && !java.util.List.of("true", "false").contains(wiretap.get(0))) {
      ctx.fail(new LabException(400, "wiretap must be true or false (once), got "
          + Bodies.show(String.join(",", wiretap))));
      return;
    }
    if (ctx.request().method() == HttpMethod.HEAD) { // the status a GET would get, without the stream
      ctx.response().putHeader("Content-Type", "text/event-stream; charset=utf-8").end();
      return;
    }
    Client client = new Client(ctx.response(), !wiretap.equals(java.util.List.of("false")));
    client.response().setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .closeHandler(v -> remove(client));
    clients.add(client);
    // onopen only once the events flow: the page reloads its state then, and misses nothing after it
    Future.all(subscribe(), tapListening.apply(clients.stream().anyMatch(Client::wiretap))).onComplete(ar -> {
      if (clients.contains(client)) {
        client.response().write("retry: 2000\n\n"); // flushes the headers, so EventSource fires onopen now
      }
    });
  }

  /** A wiretap tap, from any thread. */
  void tap(Tap tap) {
    context.runOnContext(v -> send(WebMessages.WIRETAP_EVENT, tap.toJson().encode(), true));
  }

  private void send(String event, String data, boolean wiretap) {
    broadcast(Buffer.buffer("id: " + (++nextId) + "\nevent: " + event + "\ndata: " + data + "\n\n"), wiretap);
  }

  private void broadcast(Buffer frame, boolean wiretap) {
    for (Client client : List.copyOf(clients)) {
      if (wiretap && !client.wiretap()) {
        continue;
      }
      if (client.response().writeQueueFull()) {
        remove(client);
        client.response().reset();
      } else {
        client.response().write(frame);
      }
    }
  }

  private void remove(Client client) {
    if (clients.remove(client)) {
      tapListening.apply(clients.stream().anyMatch(Client::wiretap));
    }
  }

  /** One line of JSON: an SSE data line must not contain a newline, and JSON encoding escapes them. */
  private static String encode(Object body) {
    return body instanceof JsonObject json ? json.encode() : Json.encode(body);
  }
}
