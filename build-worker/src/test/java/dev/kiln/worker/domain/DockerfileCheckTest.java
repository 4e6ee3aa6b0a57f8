package dev.kiln.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerfileCheckTest {
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final DockerfileCheck ALLOWING_TEAM_IMAGES =
      new DockerfileCheck(List.of("registry.example/team/**", "docker.io/library/busybox:*"));

  @Test
  void imageOutsideTheAllowlistIsRefusedNamingItsLineAndThePatterns() {
    BuildError error =
        refused(
            ALLOWING_TEAM_IMAGES,
            "ARG BASE=ubuntu:24.04\nFROM scratch AS empty\nFROM ${BASE}\nRUN true\n",
            spec(Map.of(), null));

    assertThat(error.category()).isEqualTo(ErrorCategory.POLICY_DENIED);
    assertThat(error.line()).isEqualTo(3);
    assertThat(error.instruction()).isEqualTo("FROM ${BASE}");
    assertThat(error.message())
        .isEqualTo(
            "line 3: FROM image 'ubuntu:24.04' (written '${BASE}') is not allowed; allowed images"
                + " match one of [registry.example/team/**, docker.io/library/busybox:*]"
                + " (kiln.worker.allowed-base-images)");
    assertThat(error.suggestion()).isNotBlank().doesNotContain("\n");
  }

  @Test
  void buildArgsDecideWhichImageIsChecked() {
    String dockerfile = "ARG BASE=ubuntu:24.04\nFROM ${BASE}\n";

    assertThat(
            ALLOWING_TEAM_IMAGES.check(
                dockerfile, spec(Map.of("BASE", "registry.example/team/base:1"), null), AMD64))
        .isInstanceOf(DockerfileCheck.Buildable.class);
  }

  @Test
  void shortNamesAreMatchedInTheirFullFormAsWrittenNotAsAMirrorRewritesThem() {
    assertThat(ALLOWING_TEAM_IMAGES.check("FROM busybox:1\n", spec(Map.of(), null), AMD64))
        .isInstanceOf(DockerfileCheck.Buildable.class);
    assertThat(refused(ALLOWING_TEAM_IMAGES, "FROM alpine:3\n", spec(Map.of(), null)).message())
        .contains("'alpine:3'");
  }

  @Test
  void onlyTheStagesTheTargetNeedsAreChecked() {
    String dockerfile =
        "FROM registry.example/team/base:1 AS app\nFROM ubuntu:24.04 AS debug\nCOPY --from=app / /\n";

    assertThat(ALLOWING_TEAM_IMAGES.check(dockerfile, spec(Map.of(), "app"), AMD64))
        .isInstanceOf(DockerfileCheck.Buildable.class);
    assertThat(refused(ALLOWING_TEAM_IMAGES, dockerfile, spec(Map.of(), null)).line()).isEqualTo(2);
  }

  @Test
  void imagesCopiedFromAreCheckedToo() {
    BuildError error =
        refused(
            ALLOWING_TEAM_IMAGES,
            "FROM scratch\nCOPY --from=evil.example/tools:1 /bin/tool /tool\n",
            spec(Map.of(), null));

    assertThat(error.line()).isEqualTo(2);
    assertThat(error.message()).contains("COPY --from image 'evil.example/tools:1'");
  }

  @Test
  void anEmptyAllowlistAllowsEveryImage() {
    assertThat(
            new DockerfileCheck(List.of())
                .check("FROM ubuntu:24.04\n", spec(Map.of(), null), AMD64))
        .isInstanceOf(DockerfileCheck.Buildable.class);
  }

  @Test
  void dockerfileThatDoesNotParseFailsBeforeTheEngineNamingItsLine() {
    BuildError error =
        refused(
            new DockerfileCheck(List.of()),
            "FROM registry.example/team/base:1\n\nFROBNICATE now\n",
            spec(Map.of(), null));

    assertThat(error.category()).isEqualTo(ErrorCategory.DOCKERFILE_SYNTAX);
    assertThat(error.line()).isEqualTo(3);
    assertThat(error.message()).isEqualTo("line 3: unknown instruction: FROBNICATE");
    assertThat(error.suggestion()).contains("line 3");
  }

  @Test
  void targetThatNamesNoStageIsRefusedNamingTheStages() {
    BuildError error =
        refused(
            new DockerfileCheck(List.of()),
            "FROM scratch AS build\nFROM scratch AS release\n",
            spec(Map.of(), "tests"));

    assertThat(error.category()).isEqualTo(ErrorCategory.DOCKERFILE_SYNTAX);
    assertThat(error.message()).contains("'tests'").contains("[build, release]");
    assertThat(error.line()).isNull();
  }

  @Test
  void aBuildableDockerfileComesWithItsSteps() {
    DockerfileCheck.Result result =
        ALLOWING_TEAM_IMAGES.check(
            "FROM busybox:1\nRUN true\n", spec(Map.of(), null, Map.of("team", "core")), AMD64);

    assertThat(result).isInstanceOf(DockerfileCheck.Buildable.class);
    DockerfileSteps steps = ((DockerfileCheck.Buildable) result).steps();
    assertThat(steps.line(1, 1, 2, 3, "RUN true")).hasValue(2);
    assertThat(steps.line(1, 1, 3, 3, "LABEL \"team\"=\"core\"")).isEmpty();
  }

  private static BuildError refused(DockerfileCheck check, String dockerfile, BuildSpec spec) {
    DockerfileCheck.Result result = check.check(dockerfile, spec, AMD64);
    assertThat(result).isInstanceOf(DockerfileCheck.Refused.class);
    return ((DockerfileCheck.Refused) result).error();
  }

  private static BuildSpec spec(Map<String, String> buildArgs, String target) {
    return spec(buildArgs, target, Map.of());
  }

  private static BuildSpec spec(
      Map<String, String> buildArgs, String target, Map<String, String> labels) {
    return new BuildSpec(
        BuildSource.ofDockerfile("FROM scratch"),
        null,
        target,
        buildArgs,
        List.of(),
        false,
        null,
        null,
        null,
        0,
        labels);
  }
}
