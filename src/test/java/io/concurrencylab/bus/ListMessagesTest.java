package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListMessagesTest {
  @Test
  void aHoldPassesOnlyOnceItsTimeIsOverAndOnlyIfItIsANumber() {
    assertThat(ListMessages.holdPassed("1000", 1001)).isTrue();
    assertThat(ListMessages.holdPassed("0", 1)).isTrue();
    assertThat(ListMessages.holdPassed("1000", 1000)).isFalse();
    assertThat(ListMessages.holdPassed("1000", 999)).isFalse();
    for (String notANumber : new String[] {null, "", "-5", "12a", " 12", "1".repeat(19), "1e3"}) {
      assertThat(ListMessages.holdPassed(notANumber, Long.MAX_VALUE)).as(notANumber).isFalse();
    }
  }
}
