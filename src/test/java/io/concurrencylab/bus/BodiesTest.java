package io.concurrencylab.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodiesTest {
  /** A text shown cut in an error never ends in half a character: 30 emoji are 60 chars, cut at 40 or 41. */
  @Test
  void aCutTextKeepsWholeCharacters() {
    String emoji = "😀".repeat(30);
    assertThat(Bodies.cut(emoji, 40)).isEqualTo("😀".repeat(20) + "… (60 chars)");
    assertThat(Bodies.cut(emoji, 41)).isEqualTo("😀".repeat(20) + "… (60 chars)");
    assertThat(Bodies.cut("abc", 3)).isEqualTo("abc");
    assertThat(Bodies.cut("abcd", 3)).isEqualTo("abc… (4 chars)");
  }
}
