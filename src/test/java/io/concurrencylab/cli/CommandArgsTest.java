package io.concurrencylab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ExitCodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandArgsTest {
  private static final InputStream NO_STDIN = InputStream.nullInputStream();

  private static Object body(String arg) throws EbFailure {
    return CommandArgs.body(arg, NO_STDIN, 65_536);
  }

  private static EbFailure usage(ThrowingCall call) {
    EbFailure failure = catchThrowableOfType(EbFailure.class, call::run);
    assertThat(failure).as("a usage failure").isNotNull();
    assertThat(failure.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(failure.getMessage()).doesNotContain("\n");
    return failure;
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void jsonBodiesKeepTheirJsonType() throws EbFailure {
    assertThat(body(null)).isNull();
    assertThat(body("42")).isEqualTo(42);
    assertThat(body("-5")).isEqualTo(-5);
    assertThat(body("12345678901")).isEqualTo(12345678901L);
    assertThat(body("2.5")).isEqualTo(2.5);
    assertThat(body("true")).isEqualTo(true);
    assertThat(body("\"42\"")).isEqualTo("42");
    assertThat(body("{\"value\": 42}")).isEqualTo(new JsonObject().put("value", 42));
    assertThat(body(" [1, 2] ")).isEqualTo(new JsonArray().add(1).add(2));
  }

  @Test
  void aBareWordIsAString() throws EbFailure {
    assertThat(body("hello")).isEqualTo("hello");
    assertThat(body("12abc")).isEqualTo("12abc");
    assertThat(body("  spaced  ")).isEqualTo("spaced");
  }

  @Test
  void textThatStartsLikeJsonMustBeJson() {
    assertThat(usage(() -> body("{\"value\": 4")).getMessage())
        .startsWith("malformed JSON body: ").contains("line 1, column").doesNotContain("REDACTED");
    assertThat(usage(() -> body("[1,")).getMessage()).startsWith("malformed JSON body");
    assertThat(usage(() -> body("\"abc")).getMessage()).startsWith("malformed JSON body");
    assertThat(usage(() -> body("{\"a\": 1} trailing")).getMessage()).startsWith("malformed JSON body");
  }

  /** Read as Infinity, such a number would go out as the string "Infinity", and be refused as a string. */
  @Test
  void aNumberBeyondADoublesRangeIsRefusedHere() throws EbFailure {
    for (String text : List.of("1e400", "-1e400", "{\"n\": 1e400}", "[1, [2, 1e400]]")) {
      assertThat(usage(() -> body(text)).getMessage()).as(text).contains("beyond a double's range");
    }
    assertThat(body("99999999999999999999")).isEqualTo(new java.math.BigInteger("99999999999999999999"));
    assertThat(body("1e300")).isEqualTo(1e300);
  }

  @Test
  void anEmptyBodyIsAMistake() {
    assertThat(usage(() -> body("")).getMessage()).contains("empty BODY");
    assertThat(usage(() -> body("  ")).getMessage()).contains("empty BODY");
  }

  @Test
  void dashReadsStdin() throws EbFailure {
    InputStream stdin = new ByteArrayInputStream("{\"n\": 5}\n".getBytes(StandardCharsets.UTF_8));
    assertThat(CommandArgs.body("-", stdin, 65_536)).isEqualTo(new JsonObject().put("n", 5));
  }

  @Test
  void atReadsAFile(@TempDir Path dir) throws Exception {
    Path good = Files.writeString(dir.resolve("good.json"), "{\"n\": 6}\n");
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"n\": ");
    assertThat(body("@" + good)).isEqualTo(new JsonObject().put("n", 6));
    assertThat(usage(() -> body("@" + bad)).getMessage()).startsWith("malformed JSON body (from " + bad + ")");
    assertThat(usage(() -> body("@" + dir.resolve("missing.json"))).getMessage()).endsWith("no such file");
  }

  @Test
  void headersAreKeyEqualsValue() throws EbFailure {
    assertThat(CommandArgs.headers(List.of("trace=abc", "query=a=b")))
        .isEqualTo(new JsonObject().put("trace", "abc").put("query", "a=b"));
    assertThat(CommandArgs.headers(List.of())).isEmpty();
    assertThat(usage(() -> CommandArgs.headers(List.of("novalue"))).getMessage()).contains("KEY=VALUE");
    assertThat(usage(() -> CommandArgs.headers(List.of("=x"))).getMessage()).contains("KEY=VALUE");
  }

  @Test
  void headersTheBridgeWouldInterpretAreRefused() {
    assertThat(usage(() -> CommandArgs.headers(List.of("timeout=5"))).getMessage()).contains("--timeout");
    assertThat(usage(() -> CommandArgs.headers(List.of("localOnly=true"))).getMessage()).contains("reserved");
    assertThat(usage(() -> CommandArgs.headers(List.of("codecName=x"))).getMessage()).contains("reserved");
  }

  @Test
  void onlyEventAddressesCanBeTailed() throws EbFailure {
    CommandArgs.checkTailable(Addresses.PUBLIC_EVENTS);
    CommandArgs.checkTailable(List.of("lab.nope")); // unknown: the bridge refuses it, with its own exit code
    for (String request : Addresses.PUBLIC_REQUESTS) {
      assertThat(usage(() -> CommandArgs.checkTailable(List.of(Addresses.LIST_CHANGED, request))).getMessage())
          .contains(request).contains("round-robin").contains(Addresses.LIST_CHANGED);
    }
  }

  /** A body larger than a bridge frame is refused as it is read, not read whole (a 3 GB file, /dev/zero). */
  @Test
  void aBodyLargerThanAFrameIsAUsageError(@TempDir Path dir) throws Exception {
    Path big = Files.writeString(dir.resolve("big.json"), "\"" + "a".repeat(100) + "\"");
    assertThat(usage(() -> CommandArgs.body("@" + big, NO_STDIN, 64)).getMessage())
        .isEqualTo("cannot read BODY @" + big + ": larger than 64 bytes (bridge.maxFrameBytes)");
    assertThat(usage(() -> CommandArgs.body("@/dev/zero", NO_STDIN, 65_536)).getMessage())
        .isEqualTo("cannot read BODY @/dev/zero: larger than 64 KiB (bridge.maxFrameBytes)");
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return ' ';
      }
    };
    assertThat(usage(() -> CommandArgs.body("-", endless, 65_536)).getMessage())
        .isEqualTo("cannot read BODY -: larger than 64 KiB (bridge.maxFrameBytes)");
    assertThat(usage(() -> CommandArgs.body("@" + dir.resolve("none"), NO_STDIN, 64)).getMessage())
        .isEqualTo("cannot read BODY @" + dir.resolve("none") + ": no such file");
    Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'"', (byte) 0xE9, '"'});
    assertThat(usage(() -> CommandArgs.body("@" + latin1, NO_STDIN, 64)).getMessage())
        .isEqualTo("cannot read BODY @" + latin1 + ": not UTF-8 text");
    assertThat(usage(() -> CommandArgs.body("@" + dir, NO_STDIN, 64)).getMessage())
        .isEqualTo("cannot read BODY @" + dir + ": it is a folder, not a file");
    assertThat(usage(() -> CommandArgs.body("@", NO_STDIN, 64)).getMessage())
        .isEqualTo("BODY @ names no file: give @PATH, - (standard input) or the JSON itself");
  }
}
