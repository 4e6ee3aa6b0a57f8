package dev.kiln.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaseImagePolicyTest {
  private static List<BaseImagePolicy.Violation> check(
      List<String> patterns, String dockerfile, Map<String, String> args) {
    return BaseImagePolicy.allowing(patterns)
        .check(Analysis.of(DockerfileParser.parse(dockerfile), args, null, null));
  }

  @Test
  void anEmptyAllowlistAllowsEveryImage() {
    assertThat(check(List.of(), "FROM anything/at:all\n", Map.of())).isEmpty();
  }

  @Test
  void patternsMatchTheReferenceAsWrittenOrInItsFullForm() {
    BaseImagePolicy policy =
        BaseImagePolicy.allowing(List.of("docker.io/library/*", "registry.example:5000/team/**"));

    assertThat(policy.allows("busybox")).isTrue();
    assertThat(policy.allows("busybox:1.36")).isTrue();
    assertThat(policy.allows("docker.io/library/alpine@sha256:abc")).isTrue();
    assertThat(policy.allows("bitnami/redis:7")).isFalse();
    assertThat(policy.allows("registry.example:5000/team/a/b:1")).isTrue();
    assertThat(policy.allows("registry.example:5000/other/a:1")).isFalse();
  }

  @Test
  void aDenialNamesTheLineTheImageAndThePatterns() {
    List<BaseImagePolicy.Violation> violations =
        check(
            List.of("registry.example/*"),
            "ARG BASE=ubuntu:24.04\nFROM registry.example/ok:1\nFROM ${BASE}\n",
            Map.of());

    assertThat(violations).hasSize(1);
    assertThat(violations.getFirst().lines()).isEqualTo(LineRange.of(3));
    assertThat(violations.getFirst().message())
        .isEqualTo(
            "line 3: FROM image 'ubuntu:24.04' (written '${BASE}') is not allowed;"
                + " allowed images match one of [registry.example/*]");
  }

  @Test
  void theImagesAreCheckedAfterBuildArgsAreApplied() {
    String dockerfile = "ARG BASE=registry.example/ok:1\nFROM ${BASE}\n";

    assertThat(check(List.of("registry.example/*"), dockerfile, Map.of())).isEmpty();
    assertThat(check(List.of("registry.example/*"), dockerfile, Map.of("BASE", "evil/img:1")))
        .hasSize(1);
  }

  @Test
  void scratchAndEarlierStagesAreNotImagesButCopyFromImagesAre() {
    String dockerfile =
        "FROM scratch AS a\nFROM a\nCOPY --from=a /x /x\nCOPY --from=tools.example/t:1 /t /t\n";

    List<BaseImagePolicy.Violation> violations =
        check(List.of("registry.example/*"), dockerfile, Map.of());

    assertThat(violations).hasSize(1);
    assertThat(violations.getFirst().image().use()).isEqualTo("COPY --from");
    assertThat(violations.getFirst().lines()).isEqualTo(LineRange.of(4));
  }

  @Test
  void stagesTheTargetDoesNotBuildAreNotChecked() {
    String dockerfile = "FROM evil/img:1 AS unused\nFROM scratch\n";

    assertThat(check(List.of("registry.example/*"), dockerfile, Map.of())).isEmpty();
  }
}
