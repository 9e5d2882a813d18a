package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/cluster.xml is checked against Hazelcast's schema, except by a node given the digest of what its launcher checked. */
class ClusterSettingsTest {
  @TempDir
  Path home;
  private String savedHome;
  private String savedDigest;
  private final ClusterSettings settings = new ClusterSettings("test", "127.0.0.1", 6400, 5, true, "node");

  @BeforeEach
  void remember() {
    savedHome = System.getProperty("lab.home");
    savedDigest = System.getProperty(ClusterSettings.CHECKED_DIGEST);
    System.setProperty("lab.home", home.toString());
    System.clearProperty(ClusterSettings.CHECKED_DIGEST);
  }

  @AfterEach
  void restore() {
    set("lab.home", savedHome);
    set(ClusterSettings.CHECKED_DIGEST, savedDigest);
  }

  @Test
  void theCheckoutsClusterXmlIsReadAndItsDigestKept() throws Exception {
    String xml = bundled().replace("<property name=\"hazelcast.partition.count\">31</property>",
        "<property name=\"hazelcast.partition.count\">37</property>");
    write(xml);

    Config config = settings.hazelcastConfig();

    assertThat(config.getProperty("hazelcast.partition.count")).isEqualTo("37");
    assertThat(config.getClusterName()).isEqualTo("test");
    assertThat(config.isLiteMember()).isTrue();
    assertThat(ClusterSettings.checkedDigest()).isEqualTo(sha256(xml));
  }

  @Test
  void contentAgainstTheSchemaIsRefused() throws Exception {
    write(misspelled());

    assertThatThrownBy(settings::hazelcastConfig).hasMessageContaining("heartbeat-intervall");
  }

  @Test
  void aNodeGivenTheDigestOfTheSameBytesDoesNotCheckThemAgain() throws Exception {
    String xml = misspelled();
    write(xml);
    System.setProperty(ClusterSettings.CHECKED_DIGEST, sha256(xml));

    Config config = settings.hazelcastConfig(); // the schema check would refuse it (test above)

    assertThat(config.getClusterName()).isEqualTo("test");
  }

  @Test
  void aDigestOfOtherBytesChangesNothing() throws Exception {
    write(misspelled());
    System.setProperty(ClusterSettings.CHECKED_DIGEST, sha256(bundled()));

    assertThatThrownBy(settings::hazelcastConfig).hasMessageContaining("heartbeat-intervall");
  }

  @Test
  void membersAskedAreTheRangeOrTheGivenPortsWithinIt() throws Exception {
    write(bundled());
    ClusterSettings range = new ClusterSettings("test", "127.0.0.1", 6400, 5, true, "node");

    assertThat(range.hazelcastConfig().getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:6400", "127.0.0.1:6401", "127.0.0.1:6402", "127.0.0.1:6403", "127.0.0.1:6404");
    assertThat(range.asking(6402, 2).hazelcastConfig().getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:6402", "127.0.0.1:6403");
    assertThat(range.asking(6403, 11).members()).as("never past the range").containsExactly("127.0.0.1:6403",
        "127.0.0.1:6404");
    assertThat(range.asking(6403, 11).hazelcastConfig().getNetworkConfig().getPortCount())
        .as("binding still uses the whole range").isEqualTo(5);
  }

  /** Valid XML, but an element the schema does not know (the DOM reader ignores it). */
  private static String misspelled() throws Exception {
    return bundled().replace("<network>", "<heartbeat-intervall>1</heartbeat-intervall>\n  <network>");
  }

  private static String bundled() throws Exception {
    return Files.readString(Path.of("conf", "cluster.xml"));
  }

  private void write(String xml) throws Exception {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("cluster.xml"), xml);
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void set(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
