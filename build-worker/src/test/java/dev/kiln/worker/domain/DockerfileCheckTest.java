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
  private static final DockerfileCheck CHECK = new DockerfileCheck();

  @Test
  void dockerfileThatDoesNotParseFailsBeforeTheEngineNamingItsLine() {
    BuildError error =
        refused(
            CHECK, "FROM registry.example/team/base:1\n\nFROBNICATE now\n", spec(Map.of(), null));

    assertThat(error.category()).isEqualTo(ErrorCategory.DOCKERFILE_SYNTAX);
    assertThat(error.line()).isEqualTo(3);
    assertThat(error.message()).isEqualTo("line 3: unknown instruction: FROBNICATE");
    assertThat(error.suggestion()).contains("line 3");
  }

  @Test
  void targetThatNamesNoStageIsRefusedNamingTheStages() {
    BuildError error =
        refused(CHECK, "FROM scratch AS build\nFROM scratch AS release\n", spec(Map.of(), "tests"));

    assertThat(error.category()).isEqualTo(ErrorCategory.DOCKERFILE_SYNTAX);
    assertThat(error.message()).contains("'tests'").contains("[build, release]");
    assertThat(error.line()).isNull();
  }

  @Test
  void aBuildableDockerfileComesWithItsSteps() {
    DockerfileCheck.Result result =
        CHECK.check(
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
