package io.concurrencylab.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrencylab.bus.CompareMessages.Task;
import io.concurrencylab.bus.CompareMessages.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The two tasks every way runs: the CPU task's answers, and an I/O server that really makes a request wait. */
class TasksTest {
  @Test
  void countsPrimesAsASieveDoes() {
    assertThat(Tasks.countPrimes(0, 100)).isEqualTo(25);
    int width = 5_000;
    boolean[] composite = new boolean[(int) (Tasks.CPU_FIRST + width)];
    for (int i = 2; (long) i * i < composite.length; i++) {
      for (int j = i * i; !composite[i] && j < composite.length; j += i) {
        composite[j] = true;
      }
    }
    long sieve = 0;
    for (int n = (int) Tasks.CPU_FIRST; n < composite.length; n++) {
      sieve += composite[n] ? 0 : 1;
    }
    assertThat(Tasks.countPrimes(Tasks.CPU_FIRST, width)).isEqualTo(sieve).isPositive();
    Task third = new Task(Workload.CPU, 2, "", 0, Tasks.CPU_FIRST, 1_000);
    assertThat(run(third)).isEqualTo(Long.toString(Tasks.countPrimes(Tasks.CPU_FIRST + 2_000, 1_000)));
  }

  @Test
  void theServerAnswersEachTaskOnlyAfterItsDelayAndManyWaitAtOnce() throws Exception {
    try (IoServer server = IoServer.start(300)) {
      long start = System.nanoTime();
      assertThat(Tasks.fetch(server.host(), server.port(), 7)).isEqualTo(Tasks.expectedReply(7));
      double oneMs = (System.nanoTime() - start) / 1e6;
      assertThat(oneMs).as("a request waits for the server's delay").isGreaterThanOrEqualTo(300);
      assertThat(server.answered()).isEqualTo(1);

      // the delay is in the server, per request: eight requests at once all wait, each gets its own answer
      List<CompletableFuture<String>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int index = i;
        all.add(CompletableFuture.supplyAsync(() -> run(new Task(Workload.IO, index, server.host(),
            server.port(), 0, 0))));
      }
      for (int i = 0; i < 8; i++) {
        assertThat(all.get(i).get()).isEqualTo(Tasks.expectedReply(i));
      }
      assertThat(server.answered()).isEqualTo(9);
      assertThat(server.cpuNanos()).isPositive();
    }
  }

  @Test
  void anythingButATaskIsA404AndTheClientSaysSo() throws Exception {
    try (IoServer server = IoServer.start(1); Socket socket = new Socket(server.host(), server.port())) {
      socket.getOutputStream().write("GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
      byte[] reply = socket.getInputStream().readAllBytes();
      assertThatThrownBy(() -> Tasks.body(reply)).isInstanceOf(IOException.class)
          .hasMessage("unexpected reply: HTTP/1.1 404 Not Found");
      assertThat(server.answered()).isZero();
    }
  }

  private static String run(Task task) {
    try {
      return Tasks.run(task);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
