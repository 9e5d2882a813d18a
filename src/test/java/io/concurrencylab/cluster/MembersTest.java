package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A member is taken for ended only when its address refuses a connection (real sockets). */
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

  /** No answer, or no route (this sandbox has no network beyond loopback): not known to have ended. */
  @Test
  void anAddressThatDoesNotAnswerIsNotTakenForEnded() {
    assertThat(Members.ended(new InetSocketAddress("10.255.255.1", 5701))).isFalse();
  }
}
