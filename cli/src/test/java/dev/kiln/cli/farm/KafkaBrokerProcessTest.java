package dev.kiln.cli.farm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class KafkaBrokerProcessTest {
  @Test
  void clusterIdsAreSixteenBytesAndNeverLookLikeAnOption() {
    for (int i = 0; i < 10_000; i++) {
      String id = KafkaBrokerProcess.randomClusterId();

      assertThat(id).doesNotStartWith("-").hasSize(22);
      assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
    }
  }
}
