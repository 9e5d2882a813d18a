package io.concurrencylab.web;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP by hand over a plain socket, for what a well-behaved client library will not send: any Host header, a
 * request cut off in its headers or body, bytes that are not HTTP at all.
 */
final class RawHttp implements AutoCloseable {
  final Socket socket;

  RawHttp(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
  }

  /** A whole request: {@code method path}, headers as "Name: value" lines, and a body (may be null). */
  static Response exchange(int port, String method, String path, String body, String... headers) throws IOException {
    try (RawHttp http = new RawHttp(port)) {
      StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      boolean host = false;
      for (String h : headers) {
        request.append(h).append("\r\n");
        host |= h.toLowerCase(Locale.ROOT).startsWith("host:");
      }
      if (!host) {
        request.append("Host: 127.0.0.1:").append(port).append("\r\n");
      }
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        request.append("Content-Length: ").append(bytes.length).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      http.send(request.toString().getBytes(StandardCharsets.UTF_8));
      http.send(bytes);
      return http.response();
    }
  }

  void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Everything the server sends until it closes the connection, parsed as one response. */
  Response response() throws IOException {
    return Response.parse(readUntilClosed());
  }

  /** Every byte until the server closes (EOF or reset). */
  byte[] readUntilClosed() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // closed with data unread on its side: still closed
    }
    return all.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  record Response(int status, Map<String, String> headers, String body) {
    static Response parse(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.") || end < 0) {
        return new Response(-1, Map.of(), text);
      }
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      int bodyStart = text.substring(0, end + 4).getBytes(StandardCharsets.UTF_8).length; // the head is ASCII
      byte[] body = java.util.Arrays.copyOfRange(bytes, bodyStart, bytes.length);
      if ("chunked".equals(headers.get("transfer-encoding"))) {
        body = unchunk(body);
      }
      return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers,
          new String(body, StandardCharsets.UTF_8));
    }

    /** Chunk sizes count bytes: the body is taken apart as bytes, then read as UTF-8. */
    private static byte[] unchunk(byte[] chunked) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int at = 0;
      while (true) {
        int lineEnd = indexOfCrLf(chunked, at);
        if (lineEnd < 0) {
          return out.toByteArray();
        }
        int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).trim(), 16);
        if (size == 0) {
          return out.toByteArray();
        }
        out.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
        at = lineEnd + 2 + size + 2;
      }
    }

    private static int indexOfCrLf(byte[] bytes, int from) {
      for (int i = from; i + 1 < bytes.length; i++) {
        if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
          return i;
        }
      }
      return -1;
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }
}
