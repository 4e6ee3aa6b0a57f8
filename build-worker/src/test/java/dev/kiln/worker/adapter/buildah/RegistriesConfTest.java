package dev.kiln.worker.adapter.buildah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistriesConfTest {
  @Test
  void listedRegistriesAreInsecureAndNoOthers() {
    String conf = RegistriesConf.render(List.of("127.0.0.1:5000", "registry.lan"), List.of());

    assertThat(conf)
        .contains("[[registry]]\nlocation = \"127.0.0.1:5000\"\ninsecure = true\n")
        .contains("[[registry]]\nlocation = \"registry.lan\"\ninsecure = true\n")
        .doesNotContain("localhost");
  }

  @Test
  void aMirrorIsTriedFirstForItsRegistryAndReachedInsecurelyWhenListed() {
    String conf =
        RegistriesConf.render(List.of("127.0.0.1:5000"), List.of("docker.io=127.0.0.1:5000"));

    assertThat(conf)
        .contains(
            "[[registry]]\nprefix = \"docker.io\"\nlocation = \"docker.io\"\n\n"
                + "[[registry.mirror]]\nlocation = \"127.0.0.1:5000\"\ninsecure = true\n")
        .contains("[[registry]]\nlocation = \"127.0.0.1:5000\"\ninsecure = true\n");
  }

  @Test
  void mirrorThatIsNotRegistryEqualsLocationIsRefused() {
    assertThatThrownBy(() -> RegistriesConf.render(List.of(), List.of("docker.io")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry=mirror");
  }

  @Test
  void entryThatIsNotAHostIsRefused() {
    assertThatThrownBy(() -> RegistriesConf.render(List.of("evil\"\n[[registry]]"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a host[:port]");
  }
}
