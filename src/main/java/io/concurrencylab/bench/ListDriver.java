package io.concurrencylab.bench;

import io.concurrencylab.bus.Addresses;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client process of the list benchmark, the Java counterpart of {@code list_manager.py}'s adder and remover: it
 * connects to a serve's bridge, warms up (equal adds and removes, so the list is as it was), says {@code ready} on
 * stdout, waits for {@code go} on stdin (so neither side's start is timed), then makes {@code count} successful adds
 * or removes (a remove that finds the list empty is sent again, as the Python remover retries its pop),
 * {@code window} requests in flight (1: each waits for its answer, as a Manager proxy call does), and prints one
 * JSON line: {@code {"ops", "seconds", "ops_per_s"}}.
 *
 * <p>Lean on purpose, like the Python side's proxy: frames are written from a template and replies only looked at
 * (no JSON library), so what is measured is the list, the bridge and the cluster, not this client's start.
 *
 * <p>Usage: {@code java -cp lab.jar io.concurrencylab.bench.ListDriver add|remove PORT COUNT WINDOW}
 */
public final class ListDriver {
  private static final byte[] REMOVE = frame("{\"type\":\"send\",\"address\":\"" + Addresses.LIST_REMOVE
      + "\",\"replyAddress\":\"r\"}");
  private static final String ADD = "{\"type\":\"send\",\"address\":\"" + Addresses.LIST_ADD + "\",\"body\":%d,"
      + "\"replyAddress\":\"r\"}";

  private ListDriver() {}

  public static void main(String[] args) throws Exception {
    boolean add = args[0].equals("add");
    int port = Integer.parseInt(args[1]);
    long count = Long.parseLong(args[2]);
    int window = Integer.parseInt(args[3]);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      for (int i = 0; i < 3_000; i++) { // warm-up: an add and a remove, so the list ends as it began
        out.write(frame(String.format(ADD, -1 - i)));
        out.write(REMOVE);
        out.flush();
        reply(in);
        reply(in);
      }
      System.out.println("ready");
      System.out.flush();
      String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (!"go".equals(go)) {
        return;
      }
      long start = System.nanoTime();
      long sent = 0;
      long done = 0;
      long inFlight = 0;
      while (done < count) {
        while (inFlight < window && done + inFlight < count) { // an empty remove is sent again
          out.write(add ? frame(String.format(ADD, sent)) : REMOVE);
          sent++;
          inFlight++;
        }
        out.flush();
        String reply = reply(in);
        inFlight--;
        if (add || !reply.contains("\"removed\":null")) {
          done++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(java.util.Locale.ROOT, "{\"ops\":%d,\"seconds\":%f,\"ops_per_s\":%f}%n", count, seconds,
          count / seconds);
    }
  }

  /** The next reply; a failure (an {@code err} frame) ends the driver. */
  private static String reply(DataInputStream in) throws IOException {
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    String reply = new String(json, StandardCharsets.UTF_8);
    if (!reply.startsWith("{\"type\":\"message\"")) {
      throw new IOException("failed: " + reply);
    }
    return reply;
  }

  private static byte[] frame(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    byte[] framed = new byte[4 + bytes.length];
    framed[0] = (byte) (bytes.length >>> 24);
    framed[1] = (byte) (bytes.length >>> 16);
    framed[2] = (byte) (bytes.length >>> 8);
    framed[3] = (byte) bytes.length;
    System.arraycopy(bytes, 0, framed, 4, bytes.length);
    return framed;
  }
}
