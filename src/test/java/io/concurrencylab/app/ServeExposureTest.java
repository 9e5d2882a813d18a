package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.config.AccessToken;
import io.concurrencylab.config.LabConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** serve refuses to listen beyond loopback without an access token. */
class ServeExposureTest {
  @Test
  void beyondLoopbackWithoutATokenIsRefusedWithOneLine() {
    LabConfig open = LabConfig.defaults().with("http.host", "0.0.0.0");
    assertThat(ServeCommand.exposedWithoutToken(open, null)).contains("refusing to listen on 0.0.0.0 (http.host)")
        .contains("auth.tokenFile").contains(AccessToken.ENV);
    assertThat(ServeCommand.exposedWithoutToken(LabConfig.defaults().with("bridge.host", "10.0.0.5"), null))
        .contains("(bridge.host)");
    assertThat(ServeCommand.exposedWithoutToken(LabConfig.defaults(), null)).as("loopback, the default").isNull();
    AccessToken token = AccessToken.load(open, Map.of(AccessToken.ENV, "a-token-of-enough-length")).orElseThrow();
    assertThat(ServeCommand.exposedWithoutToken(open, token)).isNull();
  }
}
