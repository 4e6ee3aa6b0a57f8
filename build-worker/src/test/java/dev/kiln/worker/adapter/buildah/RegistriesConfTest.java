package dev.kiln.worker.adapter.buildah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistriesConfTest {
  @Test
  void listedRegistriesAreInsecureAndNoOthers() {
    String conf = RegistriesConf.render(List.of("127.0.0.1:5000", "registry.lan"));

    assertThat(conf)
        .contains("[[registry]]\nlocation = \"127.0.0.1:5000\"\ninsecure = true\n")
        .contains("[[registry]]\nlocation = \"registry.lan\"\ninsecure = true\n")
        .doesNotContain("localhost");
  }

  @Test
  void entryThatIsNotAHostIsRefused() {
    assertThatThrownBy(() -> RegistriesConf.render(List.of("evil\"\n[[registry]]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a host[:port]");
  }
}
