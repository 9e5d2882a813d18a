package io.concurrencylab.squares;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.SquaresMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator's result port: frames read into a map's array however the bytes are cut, and refusals. */
class ResultPortTest {
  private Vertx vertx;
  private ResultPort port;

  /** A map of from..from+count-1 in chunks of {@code chunk}; records what landed. */
  private static final class Map implements ResultPort.Sink {
    final long from;
    final int chunk;
    final long[] results;
    final List<Long> landed = new ArrayList<>();

    Map(long from, int count, int chunk) {
      this.from = from;
      this.chunk = chunk;
      this.results = new long[count];
    }

    @Override
    public int slot(long start, int count) {
      long offset = start - from;
      return offset >= 0 && offset < results.length && offset % chunk == 0
          && count == Math.min(chunk, results.length - offset) ? (int) offset : -1;
    }

    @Override
    public long[] results() {
      return results;
    }

    @Override
    public void landed(long start) {
      landed.add(start);
    }
  }

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    port = on(() -> ResultPort.open(vertx, "127.0.0.1"));
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private io.vertx.core.Context context;

  /** Runs {@code action} on one event loop (the port's and the node's, as in a pool) and waits for its result. */
  private <T> T on(java.util.function.Supplier<io.vertx.core.Future<T>> action) {
    if (context == null) {
      context = vertx.getOrCreateContext();
    }
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future().await();
  }

  private static byte[] frame(int map, long from, int count) {
    ByteBuf frame = Unpooled.buffer();
    frame.writeInt(map).writeLong(from).writeInt(count);
    for (long x = from; x < from + count; x++) {
      frame.writeLong(x * x);
    }
    return java.util.Arrays.copyOf(frame.array(), frame.writerIndex());
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuf all = Unpooled.buffer();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return java.util.Arrays.copyOf(all.array(), all.writerIndex());
  }

  private byte[] token() {
    return port.token().getBytes(StandardCharsets.US_ASCII);
  }

  /** How many readers accepted their token, by {@link #feed}. */
  private int accepted;

  /** Feeds {@code bytes} to a fresh reader in pieces of random length (1 to 20 bytes); true if it refused them. */
  private boolean feed(ResultPort port, byte[] bytes, long seed) {
    AtomicBoolean refused = new AtomicBoolean();
    ResultPort.Inbound reader = port.reader(() -> refused.set(true), () -> accepted++);
    Random random = new Random(seed);
    for (int at = 0; at < bytes.length && !refused.get(); ) {
      int n = Math.min(bytes.length - at, 1 + random.nextInt(20));
      ByteBuf piece = Unpooled.directBuffer(n).writeBytes(bytes, at, n);
      reader.read(piece);
      piece.release();
      at += n;
    }
    return refused.get();
  }

  @Test
  void framesCutAnywhereLandWholeInTheirPlace() {
    Map map = new Map(5, 25, 10);
    int id = port.add(map);
    byte[] bytes = concat(token(), frame(id, 15, 10), frame(id, 25, 5), frame(id, 5, 10));
    for (long seed = 0; seed < 20; seed++) {
      java.util.Arrays.fill(map.results, 0);
      map.landed.clear();
      assertThat(feed(port, bytes, seed)).isFalse();
      assertThat(map.landed).containsExactly(15L, 25L, 5L);
      for (int i = 0; i < 25; i++) {
        assertThat(map.results[i]).as("square of %d, seed %d", i + 5, seed).isEqualTo((long) (i + 5) * (i + 5));
      }
    }
    assertThat(port.framesLanded()).isEqualTo(60);
    assertThat(accepted).isEqualTo(20);
  }

  @Test
  void aWrongTokenIsRefusedAndNothingLands() {
    Map map = new Map(1, 10, 10);
    int id = port.add(map);
    byte[] wrong = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    assertThat(feed(port, concat(wrong, frame(id, 1, 10)), 1)).isTrue();
    assertThat(accepted).isZero();
    assertThat(map.landed).isEmpty();
    assertThat(map.results).containsOnly(0L);
  }

  @Test
  void aFrameOfAMapThatIsOverIsDroppedAndTheNextLands() {
    Map over = new Map(1, 10, 10);
    int gone = port.add(over);
    port.remove(gone);
    Map current = new Map(1, 10, 10);
    int id = port.add(current);
    assertThat(feed(port, concat(token(), frame(gone, 1, 10), frame(id, 1, 10)), 2)).isFalse();
    assertThat(over.landed).isEmpty();
    assertThat(over.results).containsOnly(0L);
    assertThat(current.landed).containsExactly(1L);
  }

  @Test
  void aFrameNoChunkOfTheMapMatchesIsRefused() {
    Map map = new Map(1, 20, 10);
    int id = port.add(map);
    assertThat(feed(port, concat(token(), frame(id, 2, 10)), 3)).as("not a chunk's start").isTrue();
    assertThat(feed(port, concat(token(), frame(id, 11, 9)), 3)).as("not the chunk's count").isTrue();
    assertThat(feed(port, concat(token(), frame(id, 21, 10)), 3)).as("past the end").isTrue();
    byte[] negative = concat(token(), frame(id, 1, 0));
    negative[token().length + 15] = (byte) 0xff; // count -1
    negative[token().length + 12] = (byte) 0xff;
    negative[token().length + 13] = (byte) 0xff;
    negative[token().length + 14] = (byte) 0xff;
    assertThat(feed(port, negative, 3)).as("a negative count").isTrue();
    assertThat(map.landed).isEmpty();
    assertThat(map.results).containsOnly(0L);
  }

  /** Over a real connection: the node's side ({@link ResultLinks}) writes, the port's array holds the squares. */
  @Test
  void aNodesFramesReachTheMapOverTcp() throws Exception {
    Map map = new Map(1, 100_000, 30_000);
    CompletableFuture<List<Long>> landed = new CompletableFuture<>();
    ResultPort.Sink counting = new ResultPort.Sink() {
      @Override
      public int slot(long from, int count) {
        return map.slot(from, count);
      }

      @Override
      public long[] results() {
        return map.results;
      }

      @Override
      public void landed(long from) {
        map.landed.add(from);
        if (map.landed.size() == 4) {
          landed.complete(List.copyOf(map.landed));
        }
      }
    };
    int id = port.add(counting);
    ResultLinks links = new ResultLinks(vertx);
    on(() -> links.open(port.address(), port.token()));
    boolean[] sent = on(() -> {
      boolean[] each = new boolean[4];
      for (int i = 0; i < 4; i++) {
        each[i] = links.send(port.address(), port.token(), id,
            new SquaresCodec.Squares(1 + i * 30_000L, Math.min(30_000, 100_000 - i * 30_000)));
      }
      return io.vertx.core.Future.succeededFuture(each);
    });
    assertThat(sent).containsOnly(true);
    assertThat(landed.get(10, TimeUnit.SECONDS)).containsExactlyInAnyOrder(1L, 30_001L, 60_001L, 90_001L);
    for (int i = 0; i < map.results.length; i++) {
      assertThat(map.results[i]).isEqualTo((long) (i + 1) * (i + 1));
    }
  }

  @Test
  void aConnectionWithTheWrongTokenIsClosedByThePort() {
    NetSocket socket = vertx.createNetClient().connect(Integer.parseInt(port.address().split(":")[1]), "127.0.0.1")
        .await();
    Promise<Void> closed = Promise.promise();
    socket.closeHandler(v -> closed.tryComplete());
    socket.write(Buffer.buffer("not-the-token-not-the-token-1234!"));
    closed.future().timeout(10, TimeUnit.SECONDS).await();
  }

  /** A node whose token the port refuses never counts its link as up: it answers on the event bus instead. */
  @Test
  void aNodeThePortRefusesWritesNoFrameThere() {
    ResultLinks links = new ResultLinks(vertx);
    String wrong = "0123456789abcdef0123456789abcdef";
    String opened = on(() -> links.open(port.address(), wrong).transform(ar -> io.vertx.core.Future.succeededFuture(
        ar.failed() ? ar.cause().getMessage() : "up")));
    assertThat(opened).isEqualTo("the result port closed the connection");
    Boolean sent = on(() -> io.vertx.core.Future.succeededFuture(links.send(port.address(), wrong, 0,
        new SquaresCodec.Squares(1, 10))));
    assertThat(sent).isFalse();
    assertThat(port.framesLanded()).isZero();
  }

  @Test
  void connectionsAreBounded() {
    int portNumber = Integer.parseInt(port.address().split(":")[1]);
    var client = vertx.createNetClient();
    for (int i = 0; i < ResultPort.MAX_CONNECTIONS; i++) {
      client.connect(portNumber, "127.0.0.1").await();
    }
    NetSocket extra = client.connect(portNumber, "127.0.0.1").await();
    Promise<Void> closed = Promise.promise();
    extra.closeHandler(v -> closed.tryComplete());
    closed.future().timeout(10, TimeUnit.SECONDS).await();
  }
}
