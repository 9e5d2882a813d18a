package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.BridgeFrames;
import io.concurrencylab.list.ThreeServes.Serve;
import io.concurrencylab.testing.LabProcess;
import java.net.Socket;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One list for three real serves: the same list from each; {@code kill -9} of the owner under load from clients on
 * the two others, after which every acknowledged operation is there exactly once; a frozen owner (SIGSTOP) replaced,
 * and fenced when it wakes (SIGCONT): it acknowledges nothing and steps down.
 */
class ClusterListIT {
  static final Duration FAILOVER = Duration.ofSeconds(30);
  /**
   * A woken serve merged back and counted: ~10 s here (50-90 s before the split-brain search was narrowed); a bound
   * with room for a loaded CI machine.
   */
  static final Duration MERGED = Duration.ofSeconds(60);
  @TempDir
  Path data;

  /** Adds and removes through one serve; every operation retried with its own id until it is acknowledged. */
  private static final class Client implements Runnable {
    final ThreeServes cluster;
    final Serve via;
    final long base;
    final AtomicBoolean stop;
    final ConcurrentLinkedQueue<Long> added = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> removed = new ConcurrentLinkedQueue<>();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong lastAckNanos = new AtomicLong();

    Client(ThreeServes cluster, Serve via, long base, AtomicBoolean stop) {
      this.cluster = cluster;
      this.via = via;
      this.base = base;
      this.stop = stop;
    }

    @Override
    public void run() {
      try {
        for (long value = base; !stop.get(); value++) {
          JsonObject add = until(String.valueOf(value), "POST", "/api/list");
          assertThat(add.getLong("added")).isEqualTo(value);
          added.add(value);
          JsonObject remove = until(null, "DELETE", "/api/list/head");
          if (remove.getValue("removed") != null) {
            removed.add(remove.getLong("removed"));
          }
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    /** One operation, sent again with the same Idempotency-Key until it is answered (a client that cares). */
    private JsonObject until(String body, String method, String path) throws Exception {
      String key = UUID.randomUUID().toString();
      long deadline = System.nanoTime() + FAILOVER.toNanos();
      while (true) {
        HttpResponse<String> response = cluster.send(via, method, path, body, "Idempotency-Key", key);
        if (response.statusCode() == 200) {
          acked.incrementAndGet();
          lastAckNanos.set(System.nanoTime());
          synchronized (PROGRESS) {
            PROGRESS.notifyAll();
          }
          return new JsonObject(response.body());
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(System.nanoTime()).as("answered within " + FAILOVER).isLessThan(deadline);
      }
    }
  }

  @Test
  void oneListForAllServesAndAKilledOwnerLosesNoAcknowledgedOperation() throws Exception {
    try (ThreeServes cluster = ThreeServes.start(3, 6501, data)) {
      Serve first = cluster.serves.get(0);
      JsonObject owner = cluster.awaitOwner(first, o -> o.getJsonArray("voters").size() == 3, FAILOVER);
      for (Serve serve : cluster.serves) {
        JsonObject seen = cluster.awaitOwner(serve, o -> o.getJsonArray("voters").size() == 3, FAILOVER);
        assertThat(seen.getString("owner")).isEqualTo(owner.getString("owner"));
        // the serves started after the owner took over learn how it did from its install, as its own serve says it
        assertThat(seen.getJsonObject("lastChange")).as("lastChange on " + serve.nodeId()).isNotNull()
            .isEqualTo(cluster.json(cluster.byNode(owner.getString("owner")), "/api/list/owner")
                .getJsonObject("lastChange"));
      }
      // lab cluster status names the owner, with its process
      try (LabProcess status = LabProcess.start("cluster", "status", "--set", "cluster.name=" + cluster.name, "--set",
          "cluster.port=" + cluster.clusterPort, "--set", "cluster.runDir=" + data.resolve("status"))) {
        assertThat(status.awaitExit(Duration.ofSeconds(90))).as(status.stderr()).isZero();
        String line = "list owner: " + owner.getString("owner") + " \\(pid "
            + cluster.byNode(owner.getString("owner")).process().pid() + ", 127\\.0\\.0\\.1:65\\d\\d\\), epoch "
            + owner.getLong("epoch") + ", 3 voter\\(s\\)";
        assertThat(status.stdoutLines()).anyMatch(l -> l.matches(line));
      }

      // the same list, whichever serve is asked, and the same changes in the same order from every serve
      List<Socket> tails = new ArrayList<>();
      for (Serve serve : cluster.serves) {
        tails.add(tail(serve));
      }
      for (int i = 0; i < 3; i++) {
        assertThat(cluster.send(cluster.serves.get(i), "POST", "/api/list", String.valueOf(i + 1)).statusCode())
            .isEqualTo(200);
      }
      assertThat(cluster.send(cluster.serves.get(1), "DELETE", "/api/list/head", null).statusCode()).isEqualTo(200);
      for (Serve serve : cluster.serves) {
        assertThat(cluster.json(serve, "/api/list"))
            .isEqualTo(new JsonObject("{\"items\":[2,3],\"size\":2,\"added\":3,\"removed\":1}"));
      }
      List<List<JsonObject>> seen = new ArrayList<>();
      for (Socket tail : tails) {
        List<JsonObject> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          events.add(frame(tail).getJsonObject("body"));
        }
        tail.close();
        seen.add(events);
      }
      assertThat(seen.get(0)).extracting(e -> e.getString("op") + e.getValue("value"))
          .containsExactly("add1", "add2", "add3", "remove1");
      long firstSeq = seen.get(0).get(0).getLong("seq");
      assertThat(seen.get(0)).extracting(e -> e.getLong("seq"))
          .containsExactly(firstSeq, firstSeq + 1, firstSeq + 2, firstSeq + 3);
      assertThat(seen).as("one order, one numbering, on every serve").allMatch(events -> events.equals(seen.get(0)));

      // kill -9 of the owner while clients on the two others add and remove
      Serve victim = cluster.byNode(owner.getString("owner"));
      List<Serve> survivors = cluster.others(victim);
      AtomicBoolean stop = new AtomicBoolean();
      List<Client> clients = List.of(new Client(cluster, survivors.get(0), 1_000_000, stop),
          new Client(cluster, survivors.get(1), 2_000_000, stop));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<?>> running = new ArrayList<>();
      clients.forEach(c -> running.add(pool.submit(c)));
      awaitAcks(clients, 200);
      long killedAt = System.nanoTime();
      victim.process().kill();
      JsonObject next = cluster.awaitOwner(survivors.get(0),
          o -> o.getString("owner") != null && !o.getString("owner").equals(victim.nodeId()), FAILOVER);
      long before = clients.stream().mapToLong(c -> c.acked.get()).sum();
      awaitAcks(clients, before + 200);
      stop.set(true);
      for (Future<?> f : running) {
        f.get();
      }
      pool.shutdown();
      long firstAckAfter = clients.stream().mapToLong(c -> c.lastAckNanos.get()).min().orElseThrow();
      System.out.printf("failover: new owner %s (epoch %d) %s; %d operations acknowledged%n",
          next.getString("owner"), next.getLong("epoch"), next.getJsonObject("lastChange"),
          clients.stream().mapToLong(c -> c.acked.get()).sum());
      assertThat(firstAckAfter).isGreaterThan(killedAt);

      Set<Long> added = new HashSet<>(List.of(1L, 2L, 3L));
      Set<Long> removed = new HashSet<>(List.of(1L));
      long removes = 1;
      for (Client c : clients) {
        added.addAll(c.added);
        removed.addAll(c.removed);
        removes += c.removed.size();
      }
      assertThat(removed).as("no value removed twice").hasSize((int) removes);
      assertThat(removed.stream().filter(v -> !added.contains(v)).toList()) // by hash, not AssertJ's containsAll
          .as("removed values that had not been added").isEmpty();
      JsonObject list = cluster.json(survivors.get(0), "/api/list");
      List<Long> items = new ArrayList<>();
      list.getJsonArray("items").forEach(v -> items.add(((Number) v).longValue()));
      Set<Long> expected = new HashSet<>(added);
      expected.removeAll(removed);
      assertThat(new HashSet<>(items)).as("every acknowledged add not removed, and nothing else").isEqualTo(expected);
      assertThat(items).as("each once").hasSize(expected.size());
      assertThat(list.getLong("added")).as("adds applied once each").isEqualTo(added.size());
      assertThat(list.getLong("removed")).isEqualTo(removes);
      assertThat(cluster.json(survivors.get(1), "/api/list")).isEqualTo(list);
    }
  }

  @Test
  void aFrozenOwnerIsReplacedAndWhenItWakesItIsFencedAndStepsDown() throws Exception {
    try (ThreeServes cluster = ThreeServes.start(3, 6521, data)) {
      Serve first = cluster.serves.get(0);
      JsonObject owner = cluster.awaitOwner(first, o -> o.getJsonArray("voters").size() == 3, FAILOVER);
      Serve frozen = cluster.byNode(owner.getString("owner"));
      List<Serve> others = cluster.others(frozen);
      for (int i = 1; i <= 3; i++) {
        assertThat(cluster.send(others.get(0), "POST", "/api/list", String.valueOf(i)).statusCode()).isEqualTo(200);
      }

      signal("STOP", frozen);
      long frozenAt = System.nanoTime();
      // a client of the frozen serve: its request waits in the socket, to be read when the serve wakes
      ExecutorService pool = Executors.newSingleThreadExecutor();
      Future<HttpResponse<String>> lateRequest = pool.submit(() -> cluster.send(frozen, "POST", "/api/list", "99",
          "Idempotency-Key", "late-99"));
      JsonObject next = cluster.awaitOwner(others.get(0),
          o -> o.getString("owner") != null && !o.getString("owner").equals(frozen.nodeId()), FAILOVER);
      System.out.printf("frozen owner replaced after %d ms by %s (epoch %d)%n",
          (System.nanoTime() - frozenAt) / 1_000_000, next.getString("owner"), next.getLong("epoch"));
      // the other serve may not know the new owner yet: a 503, and the client tries again with the same key (api.md)
      HttpResponse<String> four = cluster.send(others.get(1), "POST", "/api/list", "4", "Idempotency-Key", "add-4");
      for (int i = 0; i < 2 && four.statusCode() == 503; i++) {
        System.out.printf("add 4 after the failover: 503 %s; again%n", four.body());
        four = cluster.send(others.get(1), "POST", "/api/list", "4", "Idempotency-Key", "add-4");
      }
      assertThat(four.statusCode()).as(four.body()).isEqualTo(200);

      signal("CONT", frozen);
      frozen.process().awaitErrLine(java.util.regex.Pattern.compile("list owner \\(epoch \\d+\\) stepping down"),
          FAILOVER);
      HttpResponse<String> late = lateRequest.get();
      pool.shutdown();
      if (late.statusCode() != 200) { // the woken serve could not reach the new owner: the client tries elsewhere
        assertThat(late.statusCode()).as(late.body()).isEqualTo(503);
        // as api.md tells a client: after a 503, the same request with the same key again, until it is answered (the
        // woken serve merging back may hold a request past its hold once; seen in one run of about fifteen)
        HttpResponse<String> retried = cluster.send(others.get(0), "POST", "/api/list", "99", "Idempotency-Key",
            "late-99");
        for (int i = 0; i < 2 && retried.statusCode() == 503; i++) {
          retried = cluster.send(others.get(0), "POST", "/api/list", "99", "Idempotency-Key", "late-99");
        }
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
      }
      JsonObject list = cluster.json(others.get(0), "/api/list");
      assertThat(list.getJsonArray("items").getList()).as("the woken owner applied nothing of its own")
          .containsExactly(1, 2, 3, 4, 99);
      assertThat(list.getLong("added")).isEqualTo(5);
      assertThat(cluster.json(others.get(1), "/api/list")).isEqualTo(list);

      // the woken serve is merged back into the cluster (Hazelcast's split-brain search, narrowed to the ports that
      // listen: cluster.MergeSearch) and counts again: it follows the new owner, as a voter, and serves its list
      long wokenAt = System.nanoTime();
      cluster.awaitOwner(frozen, o -> next.getString("owner").equals(o.getString("owner"))
          && o.getJsonArray("voters").size() == 3, MERGED);
      System.out.printf("woken serve counted again after %d ms%n", (System.nanoTime() - wokenAt) / 1_000_000);
      assertThat(cluster.json(frozen, "/api/list")).isEqualTo(list);
    }
  }

  private static void signal(String signal, Serve serve) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(serve.process().pid())).start().waitFor())
        .isZero();
  }

  /** A bridge connection tailing lab.list.changed on {@code serve}, registered once the pong is back. */
  private static Socket tail(Serve serve) throws Exception {
    Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), serve.bridgePort());
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(BridgeFrames.encode(BridgeFrames.register(Addresses.LIST_CHANGED)).getBytes());
    socket.getOutputStream().write(BridgeFrames.encode(BridgeFrames.ping()).getBytes());
    assertThat(frame(socket).getString("type")).isEqualTo("pong");
    return socket;
  }

  private static JsonObject frame(Socket socket) throws Exception {
    java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new JsonObject(new String(json, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Notified on every acknowledgement. */
  private static final Object PROGRESS = new Object();

  private static void awaitAcks(List<Client> clients, long total) throws InterruptedException {
    long deadline = System.nanoTime() + FAILOVER.toNanos();
    synchronized (PROGRESS) {
      while (clients.stream().mapToLong(c -> c.acked.get()).sum() < total) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        assertThat(left).as("clients make progress").isPositive();
        PROGRESS.wait(left);
      }
    }
  }
}
