package io.concurrencylab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabConfigTest {
  @Test
  void defaultsBindToLoopback() {
    LabConfig config = LabConfig.defaults();
    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.bridgeHost()).isEqualTo("127.0.0.1");
    assertThat(config.factorialMaxN()).isEqualTo(100_000);
  }

  @Test
  void fileThenEnvironmentThenSetEachOverride(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"http\": {\"port\": 9000}, \"list\": {\"capacity\": 5}}");
    LabConfig config = LabConfig.load(file, Map.of("LAB_HTTP_PORT", "9001", "LAB_FACTORIAL_MAXN", "50"),
        List.of("http.port=9002"));
    assertThat(config.httpPort()).isEqualTo(9002);
    assertThat(config.listCapacity()).isEqualTo(5);
    assertThat(config.factorialMaxN()).isEqualTo(50);
  }

  /**
   * A config file that is not a small JSON object of UTF-8 text is one line naming the file and why: never an
   * OutOfMemoryError (a huge file, /dev/zero), Jackson's multi-line message, or a key given twice silently merged.
   */
  @Test
  void aBadConfigFileIsOneLineSayingWhy(@TempDir Path dir) throws Exception {
    Path huge = dir.resolve("huge.json");
    try (var out = Files.newOutputStream(huge)) {
      out.write(("{\"x\": \"" + "a".repeat(LabConfig.MAX_FILE_BYTES) + "\"}").getBytes());
    }
    Path dup = Files.writeString(dir.resolve("dup.json"), "{\"http\": {\"port\": 9000}, \"http\": {\"port\": 9001}}");
    Path latin1 = Files.write(dir.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\n  \"http\": {\"port\": 9000\n");
    Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
    Map<Path, String> expected = Map.of(
        huge, "cannot read config file " + huge + ": larger than 1 MiB",
        Path.of("/dev/zero"), "cannot read config file /dev/zero: larger than 1 MiB",
        dir.resolve("missing.json"), "cannot read config file " + dir.resolve("missing.json") + ": no such file",
        dup, "config file " + dup + " is not valid JSON: Duplicate field 'http' (line 1, column 32)",
        latin1, "cannot read config file " + latin1 + ": not UTF-8 text",
        array, "config file " + array + " must hold one JSON object, like conf/config.json");
    expected.forEach((file, message) -> assertThatThrownBy(() -> LabConfig.load(file, Map.of(), List.of()))
        .as(file.toString()).isInstanceOf(IllegalArgumentException.class).hasMessage(message));
    assertThatThrownBy(() -> LabConfig.load(broken, Map.of(), List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config file " + broken + " is not valid JSON: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("(line 3, column 1)"));
  }

  /** Values that would fail later (a Hazelcast stack trace, "could not start") or quietly do harm, refused at load. */
  @Test
  void valuesThatWouldFailLaterAreRefusedAtLoad(@TempDir Path dir) throws Exception {
    Map<String, String> expected = Map.of(
        "http.host=", "configuration key 'http.host' must not be empty",
        "data.dir= ", "configuration key 'data.dir' must not be empty",
        "compare.python=", "configuration key 'compare.python' must not be empty",
        "cluster.host=::1", "configuration key 'cluster.host' takes an IPv4 address or a host name (the cluster "
            + "runs over IPv4), got '::1'",
        "cluster.portCount=100000", "configuration key 'cluster.portCount' must keep cluster.port (5701) + "
            + "cluster.portCount - 1 below 65536, got 100000",
        "http.idleTimeoutMs=2147483648", "configuration key 'http.idleTimeoutMs' (from --set "
            + "http.idleTimeoutMs=2147483648) takes a whole number from 1 to 2147483647, got '2147483648'",
        // not a number, or a number out of bounds: the same words
        "squares.maxNodes=abc", "configuration key 'squares.maxNodes' (from --set squares.maxNodes=abc) takes a "
            + "whole number from 1 to 64, got 'abc'",
        "squares.maxNodes=65", "configuration key 'squares.maxNodes' takes a whole number from 1 to 64, got 65",
        // the default sizes above a lowered maximum: either key is the one to change
        "squares.maxNodes=3", "configuration key 'squares.sizes' ('2,4,8') has a size above squares.maxNodes (3): "
            + "lower squares.sizes or raise squares.maxNodes");
    expected.forEach((set, message) -> assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of(set)))
        .as(set).isInstanceOf(IllegalArgumentException.class).hasMessage(message));
    Path text = Files.writeString(dir.resolve("t.json"), "{\"factorial\": {\"maxN\": \"5\"}}");
    assertThatThrownBy(() -> LabConfig.load(text, Map.of(), List.of())).hasMessage("configuration key "
        + "'factorial.maxN' (from " + text + ") takes a number, got \"5\"");
    Path flag = Files.writeString(dir.resolve("b.json"), "{\"cluster\": {\"enabled\": \"false\"}}");
    assertThatThrownBy(() -> LabConfig.load(flag, Map.of(), List.of())).hasMessage("configuration key "
        + "'cluster.enabled' (from " + flag + ") takes a boolean (true or false), got \"false\"");
    Path number = Files.writeString(dir.resolve("n.json"), "{\"http\": {\"host\": 127}}");
    assertThatThrownBy(() -> LabConfig.load(number, Map.of(), List.of())).hasMessage("configuration key "
        + "'http.host' (from " + number + ") takes a text, got 127");
    Path file = Files.writeString(dir.resolve("c.json"), "{\"http\": {\"host\": null}}");
    assertThatThrownBy(() -> LabConfig.load(file, Map.of(), List.of())).hasMessage("configuration key 'http.host' "
        + "(from " + file + ") takes a single value, got null");
    Files.writeString(file, "{\"data\": {\"dir\": [\"a\", \"b\"]}}");
    assertThatThrownBy(() -> LabConfig.load(file, Map.of(), List.of())).hasMessage("configuration key 'data.dir' "
        + "(from " + file + ") takes a single value, got an array");
  }

  @Test
  void aLogLevelLogbackWouldNotReadIsRefused() {
    assertThatThrownBy(() -> LabConfig.load(null, Map.of("LAB_LOG_LEVEL", "warning"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("environment variable LAB_LOG_LEVEL must be one of "
            + "OFF, ERROR, WARN, INFO, DEBUG, TRACE, ALL (any case), got 'warning'");
    LabConfig.load(null, Map.of("LAB_LOG_LEVEL", "debug"), List.of());
  }

  @Test
  void unknownKeysAndWrongTypesAreReadableErrors() {
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("http.prot=1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown configuration key 'http.prot'")
        .hasMessageContaining("http.port");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of("LAB_HTTP_PORT", "eighty"), List.of()))
        .hasMessageContaining("LAB_HTTP_PORT").hasMessageContaining("number");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("noequals")))
        .hasMessageContaining("KEY=VALUE");
  }

  @Test
  void badValuesAreRefusedAtLoadNamingTheirKey() {
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("squares.sizes=abc")))
        .hasMessageContaining("'squares.sizes'").hasMessageContaining("2,4,8");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("squares.maxNodes=-1")))
        .hasMessageContaining("'squares.maxNodes' takes a whole number from 1 to 64, got -1");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("list.producerMinMs=0")))
        .hasMessageContaining("'list.producerMinMs' takes a whole number from 1 to 2147483647, got 0");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("list.consumerMaxMs=10")))
        .hasMessageContaining("'list.consumerMaxMs' must not be below 'list.consumerMinMs'");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("http.port=70000")))
        .hasMessageContaining("'http.port' takes a whole number from 0 to 65535");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("eventLoops=0")))
        .hasMessageContaining("'eventLoops' takes a whole number from 1 to 64, got 0");
    assertThat(LabConfig.load(null, Map.of(), List.of()).eventLoops()).isEqualTo(1);
  }

  /** What sizes a pool, a queue, a buffer or a number of processes has a ceiling, not only a floor. */
  @Test
  void everySizingKeyHasAnUpperBound() {
    assertThat(LabConfig.UPPER_BOUNDS).containsKeys("factorial.instances", "squares.maxNodes", "list.capacity",
        "factorial.maxInFlight", "squares.maxNumbers");
    LabConfig.UPPER_BOUNDS.forEach((key, max) -> {
      assertThat(LabConfig.load(null, Map.of(), List.of(key + "=" + max))).as(key).isNotNull();
      assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of(key + "=" + (max + 1))))
          .hasMessage("configuration key '" + key + "' takes a whole number from 1 to " + max + ", got " + (max + 1));
    });
  }

  /** An allowed host no Host header can match, or the two servers on one port, would start and fail quietly. */
  @Test
  void allowedHostsAreNamesAsAHostHeaderGivesThemAndTheTwoServersHaveTwoPorts() {
    assertThat(LabConfig.load(null, Map.of(), List.of("http.allowedHosts=lab.example, lab.example:8443,[::1]:9"))
        .httpAllowedHosts()).containsExactly("lab.example", "lab.example:8443", "[::1]:9");
    for (String bad : List.of("http://proxy.example", "proxy2.example:99999", "bad host!", "proxy:")) {
      assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("http.allowedHosts=" + bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessage("configuration key 'http.allowedHosts' takes "
              + "names as a Host header gives them, NAME or NAME:PORT (port 1 to 65535) separated by commas, e.g. "
              + "lab.example,lab.example:8443 (no http://); got '" + bad.strip() + "'");
    }
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("http.port=18297", "bridge.port=18297")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("configuration keys 'http.port' and 'bridge.port' are both 18297: give each its own port");
    assertThat(LabConfig.load(null, Map.of(), List.of("http.port=0", "bridge.port=0")).bridgePort()).isZero();
  }

  @Test
  void clusterJoinIsAListOfAddressesAndTheEventBusOffsetStaysOutOfTheHazelcastRange() {
    assertThat(LabConfig.defaults().clusterJoin()).isEmpty();
    assertThat(LabConfig.defaults().clusterEventBusPortOffset()).isEqualTo(40);
    assertThat(LabConfig.load(null, Map.of(), List.of("cluster.join= 10.0.0.1:5701, host-2 ,")).clusterJoin())
        .containsExactly("10.0.0.1:5701", "host-2");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("cluster.join=10.0.0.1:57o1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'cluster.join' takes HOST:PORT");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("cluster.eventBusPortOffset=10")))
        .hasMessageContaining("'cluster.eventBusPortOffset' must be 0 (any free port) or at least cluster.portCount (20)");
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), List.of("cluster.port=65500")))
        .hasMessageContaining("'cluster.eventBusPortOffset'");
    assertThat(LabConfig.load(null, Map.of(), List.of("cluster.eventBusPortOffset=0")).clusterEventBusPortOffset())
        .isZero();
  }

  @Test
  void everyKeyHasAnEnvironmentName() {
    assertThat(LabConfig.envName("list.producerMinMs")).isEqualTo("LAB_LIST_PRODUCERMINMS");
    assertThat(LabConfig.defaults().keys()).contains("http.port", "factorial.instances", "requestTimeoutMs");
  }
}
