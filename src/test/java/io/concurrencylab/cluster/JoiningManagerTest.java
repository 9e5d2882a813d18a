package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which lite members of the app's cluster become data members (members oldest first; true: lite). */
class JoiningManagerTest {
  @Test
  void theOldestLiteMembersMakeUpTheLack() {
    // a serve (data) and three nodes: the first node holds data, the others do not
    List<Boolean> serveAndNodes = List.of(false, true, true, true);
    assertThat(JoiningManager.holdsData(serveAndNodes, 1, 2)).isTrue();
    assertThat(JoiningManager.holdsData(serveAndNodes, 2, 2)).isFalse();
    assertThat(JoiningManager.holdsData(serveAndNodes, 3, 2)).isFalse();
    // wanting three: the first two nodes
    assertThat(JoiningManager.holdsData(serveAndNodes, 2, 3)).isTrue();
    assertThat(JoiningManager.holdsData(serveAndNodes, 3, 3)).isFalse();
  }

  @Test
  void enoughDataMembersMeansNoneMore() {
    List<Boolean> twoServes = List.of(false, false, true, true);
    assertThat(JoiningManager.holdsData(twoServes, 2, 2)).isFalse();
    assertThat(JoiningManager.holdsData(twoServes, 3, 1)).isFalse();
  }

  @Test
  void withNoDataMemberEveryLiteMemberHoldsData() {
    List<Boolean> allLite = List.of(true, true, true);
    for (int i = 0; i < 3; i++) {
      assertThat(JoiningManager.holdsData(allLite, i, 1)).as("member %d", i).isTrue();
    }
    // the first member of a new cluster, alone
    assertThat(JoiningManager.holdsData(List.of(true), 0, 2)).isTrue();
  }
}
