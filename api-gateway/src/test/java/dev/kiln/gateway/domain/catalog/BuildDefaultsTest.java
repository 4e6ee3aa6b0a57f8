package dev.kiln.gateway.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.ImageRef;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildDefaultsTest {
  private static final BuildSource RESOLVED = BuildSource.ofDockerfile("FROM scratch\n");
  private static final BuildDefaults DEFAULTS =
      new BuildDefaults(
          List.of(ImageRef.parse("registry.example/team/web:1")),
          true,
          "release",
          Map.of("MODE", "fast", "V", "1"),
          Map.of("team", "a"),
          new BuildOptions(true, null, false, Platform.parse("linux/arm64"), null));

  private static BuildSpec requested(
      List<ImageRef> tags, Map<String, String> args, BuildOptions options) {
    return new BuildSpec(
        new BuildSource(null, null, null, "web"),
        null,
        null,
        args,
        tags,
        false,
        options,
        null,
        null,
        0,
        null);
  }

  @Test
  void aRequestWithoutValuesTakesTheDefaults() {
    BuildSpec spec = DEFAULTS.applyTo(requested(List.of(), Map.of(), null), RESOLVED);

    assertThat(spec.source()).isEqualTo(RESOLVED);
    assertThat(spec.tags())
        .extracting(ImageRef::toString)
        .containsExactly("registry.example/team/web:1");
    assertThat(spec.push()).isTrue();
    assertThat(spec.target()).isEqualTo("release");
    assertThat(spec.buildArgs()).containsEntry("MODE", "fast");
    assertThat(spec.labels()).containsEntry("team", "a");
    assertThat(spec.options().noCache()).isTrue();
  }

  @Test
  void theRequestsOwnValuesWin() {
    BuildOptions own = new BuildOptions(false, null, true, null, null);
    BuildSpec spec =
        DEFAULTS.applyTo(
            requested(List.of(ImageRef.parse("other.example/x:2")), Map.of("V", "2"), own),
            RESOLVED);

    assertThat(spec.tags()).extracting(ImageRef::toString).containsExactly("other.example/x:2");
    assertThat(spec.push()).as("push follows the tags it came with").isFalse();
    assertThat(spec.buildArgs()).containsEntry("V", "2").containsEntry("MODE", "fast");
    assertThat(spec.options()).isEqualTo(own);
  }
}
