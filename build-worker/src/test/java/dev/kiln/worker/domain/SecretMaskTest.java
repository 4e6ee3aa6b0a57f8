package dev.kiln.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
  @Test
  void everyOccurrenceOfAValueIsMasked() {
    SecretMask mask = SecretMask.of(List.of("s3cr3t"));

    assertThat(mask.apply("token=s3cr3t and again s3cr3t"))
        .isEqualTo("token=***** and again *****");
  }

  @Test
  void aValueContainingAnotherIsMaskedWhole() {
    SecretMask mask = SecretMask.of(List.of("abc", "xxabcxx"));

    assertThat(mask.apply("[xxabcxx] [abc]")).isEqualTo("[*****] [*****]");
  }

  @Test
  void eachLineOfAMultiLineValueIsMaskedOnItsOwnLine() {
    SecretMask mask =
        SecretMask.of(List.of("-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----"));

    assertThat(mask.apply("MIIEvQIBADANBg")).isEqualTo("*****");
  }

  @Test
  void blankValuesMaskNothing() {
    assertThat(SecretMask.of(List.of("", " ")).apply("a b")).isEqualTo("a b");
  }
}
