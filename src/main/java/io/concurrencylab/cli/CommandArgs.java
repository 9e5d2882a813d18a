package io.concurrencylab.cli;

import io.concurrencylab.bus.BridgeFrames;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.config.TextFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Turns what the user typed (BODY, --header, tail addresses) into frame parts, or into a usage failure. */
public final class CommandArgs {
  /** Header names the bridge reads as delivery options instead of passing them on. */
  private static final Set<String> RESERVED_HEADERS = Set.of(BridgeFrames.TIMEOUT_HEADER, "localOnly", "codecName");

  private CommandArgs() {}

  /**
   * The body: none when {@code arg} is null; {@code -} reads stdin and {@code @file} a file. The text is JSON
   * ({@code {"value": 42}}, {@code 42}, {@code "x"}, {@code true}), else a bare string ({@code hello}); surrounding
   * whitespace is ignored. Text that starts like JSON ({@code { [ "}) but does not parse is an error, not a string.
   * Stdin and files are read up to {@code maxBytes} (the bridge takes no larger frame): more is an error.
   */
  public static Object body(String arg, InputStream stdin, int maxBytes) throws EbFailure {
    if (arg == null) {
      return null;
    }
    String from = arg.equals("-") ? " (from stdin)" : arg.startsWith("@") ? " (from " + arg.substring(1) + ")" : "";
    String text = read(arg, stdin, maxBytes).strip();
    if (text.isEmpty()) {
      throw EbFailure.usage("empty BODY" + from + "; leave BODY out to send none");
    }
    Object body;
    try {
      // the app's own input rules: a duplicate key is an error, not the last one silently kept
      body = TextFiles.parseJson(text);
    } catch (DecodeException e) {
      if ("{[\"".indexOf(text.charAt(0)) >= 0) {
        throw EbFailure.usage("malformed JSON body" + from + ": " + TextFiles.reason(e));
      }
      return text;
    }
    if (!finite(body)) { // read as Infinity, it would go out as the string "Infinity": say so here instead
      throw EbFailure.usage("a number in the body" + from + " is beyond a double's range (as 1e400 is): nothing sent");
    }
    return body;
  }

  /** No number of {@code value}, however deep, read as an infinite double. */
  private static boolean finite(Object value) {
    if (value instanceof Double d) {
      return !d.isInfinite();
    }
    if (value instanceof io.vertx.core.json.JsonObject json) {
      return json.stream().allMatch(e -> finite(e.getValue()));
    }
    if (value instanceof io.vertx.core.json.JsonArray array) {
      return array.stream().allMatch(CommandArgs::finite);
    }
    return true;
  }

  private static String read(String arg, InputStream stdin, int maxBytes) throws EbFailure {
    try {
      if (arg.equals("-")) {
        return TextFiles.read(stdin, maxBytes);
      }
      if (arg.startsWith("@")) {
        if (arg.length() == 1) {
          throw EbFailure.usage("BODY @ names no file: give @PATH, - (standard input) or the JSON itself");
        }
        Path file = Path.of(arg.substring(1));
        if (java.nio.file.Files.isDirectory(file)) {
          throw EbFailure.usage("cannot read BODY " + arg + ": it is a folder, not a file");
        }
        return TextFiles.read(file, maxBytes);
      }
      return arg;
    } catch (IOException e) {
      throw EbFailure.usage("cannot read BODY " + arg + ": " + TextFiles.why(e)
          + (e.getMessage() != null && e.getMessage().startsWith("larger than") ? " (bridge.maxFrameBytes)" : ""));
    }
  }

  /** {@code --header K=V} options, as the frame's headers. */
  public static JsonObject headers(List<String> options) throws EbFailure {
    JsonObject headers = new JsonObject();
    for (String kv : options) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw EbFailure.usage("--header takes KEY=VALUE, got '" + kv + "'");
      }
      String key = kv.substring(0, eq);
      if (RESERVED_HEADERS.contains(key)) {
        throw EbFailure.usage("--header " + key + " is reserved by the bridge"
            + (key.equals(BridgeFrames.TIMEOUT_HEADER) ? "; use --timeout MS" : ""));
      }
      headers.put(key, kv.substring(eq + 1));
    }
    return headers;
  }

  /** Tails are for published events only: on a point-to-point address a tail would not watch, it would take. */
  public static void checkTailable(List<String> addresses) throws EbFailure {
    for (String address : addresses) {
      if (Addresses.PUBLIC_REQUESTS.contains(address)) {
        throw EbFailure.usage("cannot tail " + address + ": it is a point-to-point request address. A tail "
            + "registers a consumer there, which joins the round-robin with the real handler and steals requests "
            + "(their callers never get an answer). Tail an event address instead: "
            + String.join(", ", Addresses.PUBLIC_EVENTS));
      }
    }
  }

  /**
   * A remote failure's story as Python prints a {@code RemoteTraceback}: where it ran, the exception, its frames.
   */
  public static String remoteTrace(JsonObject remote) {
    StringBuilder text = new StringBuilder("remote: " + remote.getString("type")
        + (remote.getString("message") == null ? "" : ": " + remote.getString("message")) + "\n  in thread "
        + remote.getString("thread") + " of pid " + remote.getValue("pid") + " on " + remote.getString("host"));
    remote.getJsonArray("stack", new io.vertx.core.json.JsonArray()).forEach(frame -> text.append("\n    ").append(frame));
    return text.toString();
  }
}
