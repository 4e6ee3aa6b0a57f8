package dev.kiln.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisTest {
  private static final String MULTI_STAGE =
      """
      ARG BASE=alpine:3.20
      ARG TOOLS
      FROM ${BASE} AS build
      RUN make
      FROM build AS test
      RUN make test
      FROM busybox:1.36 AS docs
      COPY --from=build /doc /doc
      FROM ${TOOLS:-scratch}
      COPY --from=build /out /out
      RUN --mount=type=bind,from=docs,source=/doc,target=/doc true
      """;

  @Test
  void buildArgsDecideTheBaseImagesAfterExpansion() {
    Analysis analysis =
        Analysis.of(
            DockerfileParser.parse(MULTI_STAGE),
            Map.of("BASE", "registry.example/base:2", "TOOLS", "registry.example/tools:1"),
            null,
            null);

    assertThat(analysis.images())
        .extracting(Analysis.ImageUse::reference)
        .containsExactly("registry.example/base:2", "busybox:1.36", "registry.example/tools:1");
    assertThat(analysis.images().getFirst().written()).isEqualTo("${BASE}");
    assertThat(analysis.images().getFirst().lines()).isEqualTo(LineRange.of(3));
  }

  @Test
  void theLastStageIsTheTargetAndStagesItDoesNotNeedAreSkipped() {
    Analysis analysis = Analysis.of(DockerfileParser.parse(MULTI_STAGE));

    assertThat(analysis.target()).isEqualTo(3);
    assertThat(analysis.stages())
        .extracting(Analysis.StageSummary::built)
        .containsExactly(true, false, true, true);
    assertThat(analysis.stages().get(3).baseKind()).isEqualTo(Analysis.BaseKind.SCRATCH);
    assertThat(analysis.stages().get(3).dependsOn()).containsExactly(0, 2);
    assertThat(analysis.stepCount()).isEqualTo(2 + 2 + 3);
  }

  @Test
  void aNamedTargetBuildsOnlyWhatItNeedsWhateverTheCaseOfItsName() {
    Analysis analysis = Analysis.of(DockerfileParser.parse(MULTI_STAGE), Map.of(), "TEST", null);

    assertThat(analysis.target()).isEqualTo(1);
    assertThat(analysis.steps())
        .extracting(Analysis.Step::stage, Analysis.Step::number, Analysis.Step::of)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 1, 2),
            org.assertj.core.groups.Tuple.tuple(0, 2, 2),
            org.assertj.core.groups.Tuple.tuple(1, 1, 2),
            org.assertj.core.groups.Tuple.tuple(1, 2, 2));
    assertThat(analysis.targets()).containsExactly("build", "test", "docs");
  }

  @Test
  void stepsNameTheirDockerfileLinesAsBuildahNumbersThem() {
    Analysis analysis =
        Analysis.of(DockerfileParser.parse("FROM scratch\nCOPY a \\\n  /a\nRUN [\"/a\"]\n"));

    Analysis.Step copy = analysis.step(0, 2);
    assertThat(copy.lines()).isEqualTo(new LineRange(2, 3));
    assertThat(copy.instruction()).isEqualTo("COPY a   /a");
    assertThat(analysis.step(0, 3).of()).isEqualTo(3);
    assertThatThrownBy(() -> analysis.step(0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void anUnknownTargetIsRefusedNamingTheStages() {
    assertThatThrownBy(
            () -> Analysis.of(DockerfileParser.parse(MULTI_STAGE), Map.of(), "release", null))
        .isInstanceOf(Analysis.TargetNotFoundException.class)
        .hasMessageContaining("'release'")
        .hasMessageContaining("[build, test, docs]");
  }

  @Test
  void declaredArgsListTheirDefaultsAndScope() {
    Analysis analysis =
        Analysis.of(DockerfileParser.parse("ARG V=1\nFROM scratch\nARG V\nARG MODE=fast X\n"));

    assertThat(analysis.args())
        .extracting(
            Analysis.DeclaredArg::name,
            Analysis.DeclaredArg::defaultValue,
            Analysis.DeclaredArg::stage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("V", "1", null),
            org.assertj.core.groups.Tuple.tuple("V", null, 0),
            org.assertj.core.groups.Tuple.tuple("MODE", "fast", 0),
            org.assertj.core.groups.Tuple.tuple("X", null, 0));
  }

  @Test
  void aStageSeesAGlobalArgOnlyOnceItDeclaresItAgain() {
    Dockerfile dockerfile =
        DockerfileParser.parse("ARG V=1\nFROM scratch\nENV BEFORE=$V\nARG V\nENV AFTER=$V\n");

    Map<String, String> env = Evaluation.run(dockerfile, Map.of(), null).stages().get(0).env();

    assertThat(env).containsEntry("BEFORE", "").containsEntry("AFTER", "1");
  }

  @Test
  void automaticPlatformArgsFollowThePlatformBuiltFor() {
    Analysis analysis =
        Analysis.of(
            DockerfileParser.parse("FROM registry.example/base-${TARGETARCH}:1\n"),
            Map.of(),
            null,
            "linux/arm64/v8");

    assertThat(analysis.images().getFirst().reference()).isEqualTo("registry.example/base-arm64:1");
  }

  @Test
  void buildahAddsAStepPerLabelOnlyWhenTheTargetIsTheLastStage() {
    Dockerfile dockerfile =
        DockerfileParser.parse("FROM scratch AS a\nCOPY x /x\nFROM a AS b\nCOPY y /y\n");

    assertThat(Analysis.of(dockerfile).buildahSteps(2))
        .containsExactly(java.util.Map.entry(0, 2), java.util.Map.entry(1, 4));
    assertThat(Analysis.of(dockerfile, Map.of(), "a", null).buildahSteps(2))
        .containsExactly(java.util.Map.entry(0, 2));
    assertThat(Analysis.of(dockerfile).buildahSteps(0))
        .containsExactly(java.util.Map.entry(0, 2), java.util.Map.entry(1, 2));
  }
}
