package io.concurrencylab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {
  @TempDir
  Path dir;

  @Test
  void comesFromTheEnvironmentOrAFileNeverTheCommandLine() throws Exception {
    assertThat(AccessToken.load(LabConfig.defaults(), Map.of())).isEmpty();
    AccessToken fromEnv = AccessToken.load(LabConfig.defaults(), Map.of(AccessToken.ENV, "0123456789abcdef")).orElseThrow();
    assertThat(fromEnv.matches("0123456789abcdef")).isTrue();
    assertThat(fromEnv.matches("0123456789abcdeX")).isFalse();
    assertThat(fromEnv.matches(null)).isFalse();
    Path file = Files.writeString(dir.resolve("token"), "  from-a-file-of-sixteen\n");
    LabConfig config = LabConfig.defaults().with("auth.tokenFile", file.toString());
    assertThat(AccessToken.load(config, Map.of()).orElseThrow().matches("from-a-file-of-sixteen")).isTrue();
    assertThatThrownBy(() -> LabConfig.load(null, Map.of(), java.util.List.of("auth.token=x")))
        .hasMessageContaining("unknown configuration key 'auth.token'");
  }

  @Test
  void aShortTokenOrAnUnreadableFileIsOneClearLine() {
    assertThatThrownBy(() -> AccessToken.load(LabConfig.defaults(), Map.of(AccessToken.ENV, "short")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
    LabConfig missing = LabConfig.defaults().with("auth.tokenFile", dir.resolve("nope").toString());
    assertThatThrownBy(() -> AccessToken.load(missing, Map.of())).hasMessageContaining("cannot read the access token");
  }

  @Test
  void loopbackIsTellable() {
    assertThat(AccessToken.loopback("127.0.0.1")).isTrue();
    assertThat(AccessToken.loopback("localhost")).isTrue();
    assertThat(AccessToken.loopback("::1")).isTrue();
    assertThat(AccessToken.loopback("0.0.0.0")).isFalse();
    assertThat(AccessToken.loopback("10.1.2.3")).isFalse();
  }
}
