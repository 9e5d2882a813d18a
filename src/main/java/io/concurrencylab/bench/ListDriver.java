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
  private static final byte[] ADD_HEAD = ("{\"type\":\"send\",\"address\":\"" + Addresses.LIST_ADD + "\",\"body\":")
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ADD_TAIL = ",\"replyAddress\":\"r\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE = "{\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = "\"removed\":null".getBytes(StandardCharsets.US_ASCII);

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
        writeAdd(out, -1 - i);
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
          if (add) {
            writeAdd(out, sent);
          } else {
            out.write(REMOVE);
          }
          sent++;
          inFlight++;
        }
        out.flush();
        do { // every answer already here, then the next requests in one write
          byte[] reply = reply(in);
          inFlight--;
          if (add || indexOf(reply, EMPTY) < 0) {
            done++;
          }
        } while (done < count && inFlight > 0 && in.available() >= 4);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(java.util.Locale.ROOT, "{\"ops\":%d,\"seconds\":%f,\"ops_per_s\":%f}%n", count, seconds,
          count / seconds);
    }
  }

  /** The next reply's JSON; a failure (an {@code err} frame) ends the driver. */
  private static byte[] reply(DataInputStream in) throws IOException {
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    if (indexOf(json, MESSAGE) != 0) {
      throw new IOException("failed: " + new String(json, StandardCharsets.UTF_8));
    }
    return json;
  }

  /** An add of {@code value}, framed, written from the template: the digits are the only part that changes. */
  private static void writeAdd(OutputStream out, long value) throws IOException {
    byte[] digits = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    int length = ADD_HEAD.length + digits.length + ADD_TAIL.length;
    out.write(length >>> 24);
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(ADD_HEAD);
    out.write(digits);
    out.write(ADD_TAIL);
  }

  private static int indexOf(byte[] in, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= in.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (in[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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
