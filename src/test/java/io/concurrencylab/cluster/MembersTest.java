package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A member is taken for ended only when its address is this machine's and refuses a connection (real sockets). */
class MembersTest {
  @Test
  void anAddressThatRefusesConnectionsHasEnded() throws Exception {
    InetSocketAddress address;
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listening.getLocalPort());
      assertThat(Members.ended(address)).as("something listens there").isFalse();
    }
    assertThat(Members.ended(address)).as("nothing listens there any more").isTrue();
  }

  /** An address of another machine, whatever it answers (a firewall's reject looks like a refusal): not known. */
  @Test
  void anAddressElsewhereIsNeverTakenForEnded() {
    assertThat(Members.ended(new InetSocketAddress("10.255.255.1", 5701))).isFalse();
    assertThat(Members.ended(InetSocketAddress.createUnresolved("no-such-host.invalid", 5701))).isFalse();
  }
}
