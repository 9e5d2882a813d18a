package io.concurrencylab.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The small text a user hands the app (a config file, a token file, a message body, stdin): read only up to a
 * bound (a 3 GB file or /dev/zero is refused, not an OutOfMemoryError), as strict UTF-8, and every way it can be
 * wrong said in a few words for one readable line. Works with FIFOs too ({@code --config <(...)}).
 */
public final class TextFiles {
  private TextFiles() {}

  /** {@code file}'s text, if it has at most {@code maxBytes} bytes. */
  public static String read(Path file, int maxBytes) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, maxBytes);
    }
  }

  /** The rest of {@code in} as text, if it has at most {@code maxBytes} bytes (reads one more, at most). */
  public static String read(InputStream in, int maxBytes) throws IOException {
    byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw new IOException("larger than " + bytes(maxBytes));
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IOException("not UTF-8 text");
    }
  }

  /** "64 KiB", "1 MiB", "100 bytes". */
  public static String bytes(long n) {
    return n >= 1 << 20 && n % (1 << 20) == 0 ? n / (1 << 20) + " MiB"
        : n >= 1024 && n % 1024 == 0 ? n / 1024 + " KiB" : n + " bytes";
  }

  /** Why a file could not be read, in a few words ("no such file", "a directory", ...), never just its path. */
  public static String why(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** JSON parsed as the app's input: a key given twice is an error, not the last one silently kept. */
  public static Object parseJson(String text) {
    try {
      JsonParser parser = JacksonCodec.createParser(text);
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }

  /**
   * Why a text read as one {@code what} (a run record, a comparison report) is not one, in words a user can act on
   * rather than the parser's or an NPE's: not JSON (where), not an object, or a field missing or of another type.
   */
  public static String notA(String what, RuntimeException e) {
    if (e instanceof DecodeException decode) {
      return decode.getCause() instanceof JsonProcessingException ? "not valid JSON: " + reason(decode)
          : "not a JSON object";
    }
    return "not a whole " + what + " (a field is missing or of another type)";
  }

  /** Jackson's message on one line, with the position and without its source-location noise. */
  public static String reason(DecodeException e) {
    if (!(e.getCause() instanceof JsonProcessingException jackson)) {
      return e.getMessage() == null ? "not JSON" : e.getMessage().lines().findFirst().orElse("not JSON");
    }
    String message = jackson.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[.*?]\\)", "");
    JsonLocation at = jackson.getLocation();
    return at == null ? message : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }
}
