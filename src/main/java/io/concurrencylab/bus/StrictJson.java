package io.concurrencylab.bus;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;

/**
 * The one way text from outside becomes JSON, wherever it enters (an HTTP body, a bridge frame, a CLI argument), so
 * the same text is refused the same way everywhere: a comment is an error (Vert.x's own parser allows them), so is
 * a duplicate key (Jackson would otherwise keep the last one silently) and anything after the value; nesting
 * deeper than Jackson's limit (1000) is refused before it costs a deep stack. Numbers come as Jackson reads them
 * ({@code 1e400} is a Double infinity, a long integer literal a BigInteger): {@link Bodies} decides what is in range.
 */
public final class StrictJson {
  private StrictJson() {}

  /** One JSON value of any kind, or null for the literal {@code null}. */
  public static Object decode(Buffer text) {
    try {
      return parse(JacksonCodec.createParser(text));
    } catch (DecodeException e) {
      throw LabException.badInput("malformed JSON: " + reason(e));
    }
  }

  /** The same for a String. */
  public static Object decode(String text) {
    try {
      return parse(JacksonCodec.createParser(text));
    } catch (DecodeException e) {
      throw LabException.badInput("malformed JSON: " + reason(e));
    }
  }

  private static Object parse(JsonParser parser) {
    parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    parser.disable(JsonParser.Feature.ALLOW_COMMENTS); // Vert.x's factory allows them: JSON has none
    return JacksonCodec.fromParser(parser, Object.class);
  }

  /** Jackson's message without where it read from (always the input) and the long location suffix. */
  private static String reason(DecodeException e) {
    String message = String.valueOf(e.getMessage()).replaceFirst("(?s)\\s*(\\(start marker )?(at )?\\[Source.*$", "");
    return Bodies.cut(message, 200);
  }
}
