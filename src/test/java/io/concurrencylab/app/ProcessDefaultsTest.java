package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProcessDefaultsTest {
  @Test
  void nettysFlightRecorderEventsAreOffUnlessAskedFor() {
    Properties unset = new Properties();
    Main.processDefaults(unset);
    assertThat(unset.getProperty(Main.NETTY_JFR)).isEqualTo("false");

    Properties asked = new Properties();
    asked.setProperty(Main.NETTY_JFR, "true");
    Main.processDefaults(asked);
    assertThat(asked.getProperty(Main.NETTY_JFR)).as("a -D given by the user wins").isEqualTo("true");
  }
}
