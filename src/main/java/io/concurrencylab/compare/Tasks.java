package io.concurrencylab.compare;

import io.concurrencylab.bus.CompareMessages.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The one task of each workload, the same on every way of the JVM (and written the same way in the lesson's Python,
 * {@code launcher/lesson/compare_io.py} and {@code compare_cpu.py}):
 * <ul>
 *   <li>I/O: a GET of {@code /task/<i>} over a new TCP connection, bytes for bytes the same request on every way,
 *       read until the server closes; the wait is in the server ({@link IoServer}), not in the task;
 *   <li>CPU: count the primes in a range by trial division, the textbook CPU-bound task (no I/O, no allocation).
 * </ul>
 */
public final class Tasks {
  /** Where the CPU tasks' ranges start: numbers of the same size, so every task costs about the same. */
  public static final long CPU_FIRST = 10_000_000L;
  static final int IO_TIMEOUT_MS = 30_000;

  private Tasks() {}

  /** Runs a task on the calling thread, blocking (a worker thread, a node's worker, the sequential way). */
  public static String run(Task task) throws IOException {
    return switch (task.workload()) {
      case IO -> fetch(task.host(), task.port(), task.index());
      case CPU -> Long.toString(countPrimes(task.first() + (long) task.index() * task.width(), task.width()));
    };
  }

  /** The primes in {@code [from, from + width)}. */
  public static long countPrimes(long from, int width) {
    long count = 0;
    for (long n = from; n < from + width; n++) {
      if (isPrime(n)) {
        count++;
      }
    }
    return count;
  }

  static boolean isPrime(long n) {
    if (n < 2) {
      return false;
    }
    if (n % 2 == 0) {
      return n == 2;
    }
    for (long d = 3; d * d <= n; d += 2) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }

  /** The request of task {@code index}: HTTP/1.1, one request per connection, as every way sends it. */
  static byte[] request(int index) {
    return ("GET /task/" + index + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** What the server answers to task {@code index}: every way must end up with exactly this. */
  public static String expectedReply(int index) {
    return "task " + index + " answered";
  }

  /** The blocking way: a plain socket, the request, everything until the server closes. */
  static String fetch(String host, int port, int index) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), IO_TIMEOUT_MS);
      socket.setSoTimeout(IO_TIMEOUT_MS);
      socket.getOutputStream().write(request(index));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      in.transferTo(reply);
      return body(reply.toByteArray());
    }
  }

  /** The body of a whole HTTP reply, or an exception naming what came instead of a 200. */
  static String body(byte[] reply) throws IOException {
    String text = new String(reply, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 200") || end < 0) {
      throw new IOException("unexpected reply: " + text.lines().findFirst().orElse("(nothing)"));
    }
    return text.substring(end + 4);
  }
}
