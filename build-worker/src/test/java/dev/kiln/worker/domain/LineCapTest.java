package dev.kiln.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineCapTest {
  @Test
  void aLineWithinTheLimitStaysAsItIs() {
    assertThat(new LineCap(10).apply("0123456789")).isEqualTo("0123456789");
  }

  @Test
  void aLongerLineIsCutAtACharacterBoundaryAndMarked() {
    assertThat(new LineCap(5).apply("ééééé")).isEqualTo("éé … [line cut at 5 bytes]");
  }
}
