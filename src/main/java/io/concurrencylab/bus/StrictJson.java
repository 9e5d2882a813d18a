package io.concurrencylab.bus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * The one way text from outside becomes JSON, wherever it enters (an HTTP body, a bridge frame, a CLI argument), so
 * the same text is refused the same way everywhere: a comment is an error (Vert.x's own parser allows them), so is
 * a duplicate key (Jackson would otherwise keep the last one silently) and anything after the value; nesting
 * deeper than Jackson's limit (1000) is refused before it costs a deep stack, and so is a number beyond a double's
 * range ({@code 1e400}), quoted as given (read, it is an infinity, and would be quoted as "Infinity"). Other numbers
 * come as Jackson reads them (a long integer literal is a BigInteger): {@link Bodies} decides what is in range.
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
    return JacksonCodec.fromParser(new FiniteNumbers(parser), Object.class);
  }

  /** Reads every number as Jackson does, but refuses one beyond a double's range while its text is at hand. */
  private static final class FiniteNumbers extends JsonParserDelegate {
    FiniteNumbers(JsonParser parser) {
      super(parser);
    }

    @Override
    public Number getNumberValue() throws IOException {
      Number number = super.getNumberValue();
      if (number instanceof Double d && d.isInfinite()) {
        String name = currentName(); // the field it is the value of; null at the top or in an array
        throw LabException.badInput((name == null ? "number" : Bodies.show(name)) + " is out of range: "
            + Bodies.cut(getText(), 40) + " (beyond a double's range)");
      }
      return number;
    }
  }

  /** Jackson's message without where it read from (always the input) and the long location suffix. */
  private static String reason(DecodeException e) {
    String message = String.valueOf(e.getMessage()).replaceFirst("(?s)\\s*(\\(start marker )?(at )?\\[Source.*$", "");
    return Bodies.cut(message, 200);
  }
}
