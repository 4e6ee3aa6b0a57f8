package dev.kiln.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.dockerfile.Analysis;
import dev.kiln.dockerfile.Dockerfile;
import dev.kiln.dockerfile.DockerfileParser;
import dev.kiln.worker.domain.DockerfileSteps.ImageStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * buildah's step announcements (as buildah 1.28 prints them for these Dockerfiles) get the lines of
 * their instructions from the Dockerfile's analysis.
 */
class DockerfileStepsTest {
  private static final String MULTI_STAGE =
      """
      # syntax=docker/dockerfile:1
      ARG BASE=scratch
      FROM ${BASE} AS tools
      COPY busybox /bin/busybox

      FROM scratch AS unused
      COPY hello.txt /hello.txt

      FROM tools AS release
      # comments and blank lines are no instructions
      COPY hello.txt /h
      RUN ["/bin/busybox", \\
           "true"]
      """;

  @Test
  void stagesTheTargetDoesNotNeedKeepTheirNumbersAndLabelsAddStepsWithoutLines() {
    DockerfileSteps steps = steps(MULTI_STAGE, Map.of(), null, 2);

    List<Integer> lines =
        lines(
            steps,
            "[1/3] STEP 1/2: FROM scratch AS tools",
            "[1/3] STEP 2/2: COPY busybox /bin/busybox",
            "[3/3] STEP 1/5: FROM a5d5cedf553c86f49b407c95545430330cd878eeb78c06e435698f7f608415b9"
                + " AS release",
            "[3/3] STEP 2/5: COPY hello.txt /h",
            "[3/3] STEP 3/5: RUN [\"/bin/busybox\", \"true\"]",
            "[3/3] STEP 4/5: LABEL \"a\"=\"b\"",
            "[3/3] STEP 5/5: LABEL \"c\"=\"d\"");

    assertThat(lines).containsExactly(3, 4, 9, 11, 12, null, null);
  }

  @Test
  void anEarlierTargetIsBuiltAloneWithoutAStagePrefix() {
    DockerfileSteps steps = steps(MULTI_STAGE, Map.of(), "tools", 1);

    assertThat(
            lines(steps, "STEP 1/2: FROM scratch AS tools", "STEP 2/2: COPY busybox /bin/busybox"))
        .containsExactly(3, 4);
    assertThat(steps.imageStage())
        .containsExactly(new ImageStep(3, "FROM"), new ImageStep(4, "COPY"));
  }

  @Test
  void aFromExpandedFromABuildArgIsTheSameStep() {
    DockerfileSteps steps =
        steps(MULTI_STAGE, Map.of("BASE", "registry.example/base:1"), "tools", 0);

    assertThat(steps.step(1, 1, 1, 2, "FROM registry.example/base:1 AS tools"))
        .hasValueSatisfying(
            step -> {
              assertThat(step.line()).isEqualTo(3);
              assertThat(step.images()).containsExactly("registry.example/base:1");
            });
  }

  @Test
  void heredocBodiesAreNoInstructions() {
    DockerfileSteps steps =
        steps(
            "FROM scratch\nRUN <<EOF\nCOPY not an instruction\nEOF\nCOPY a b\n", Map.of(), null, 0);

    assertThat(lines(steps, "STEP 1/3: FROM scratch", "STEP 2/3: RUN <<EOF", "STEP 3/3: COPY a b"))
        .containsExactly(1, 2, 5);
  }

  @Test
  void theEscapeDirectiveChangesTheContinuationCharacter() {
    DockerfileSteps steps =
        steps("# escape=`\nFROM scratch\nRUN dir c:\\ `\n  /w\nCOPY a b\n", Map.of(), null, 0);

    assertThat(
            lines(
                steps, "STEP 1/3: FROM scratch", "STEP 2/3: RUN dir c:\\ /w", "STEP 3/3: COPY a b"))
        .containsExactly(2, 3, 5);
  }

  @Test
  void stepsNumberedOtherwiseThanTheAnalysisExpectsGetNoLine() {
    DockerfileSteps steps = steps(MULTI_STAGE, Map.of(), null, 0);

    assertThat(steps.line(3, 3, 2, 3, "RUN something")).as("another keyword").isEmpty();
    assertThat(steps.line(3, 3, 2, 4, "COPY hello.txt /h")).as("another total").isEmpty();
    assertThat(steps.line(2, 3, 1, 2, "FROM scratch AS unused")).as("a skipped stage").isEmpty();
    assertThat(steps.line(3, 2, 2, 3, "COPY hello.txt /h")).as("another target").isEmpty();
    assertThat(DockerfileSteps.UNKNOWN.line(1, 1, 1, 1, "FROM scratch")).isEmpty();
  }

  @Test
  void theImageStageEndsWithTheLabelSteps() {
    DockerfileSteps steps = steps(MULTI_STAGE, Map.of(), null, 1);

    assertThat(steps.imageStage())
        .containsExactly(
            new ImageStep(9, "FROM"),
            new ImageStep(11, "COPY"),
            new ImageStep(12, "RUN"),
            new ImageStep(null, "LABEL"));
    assertThat(DockerfileSteps.UNKNOWN.imageStage()).isEmpty();
  }

  @Test
  void stagesAreFoundByNameOrIndex() {
    DockerfileSteps steps = steps(MULTI_STAGE, Map.of(), null, 0);

    assertThat(steps.stageLines("Tools"))
        .hasValueSatisfying(l -> assertThat(l.start()).isEqualTo(3));
    assertThat(steps.stageLines("2")).hasValueSatisfying(l -> assertThat(l.start()).isEqualTo(9));
    assertThat(steps.stageLines("registry.example/base:1")).isEmpty();
  }

  private static DockerfileSteps steps(
      String text, Map<String, String> buildArgs, String target, int labels) {
    Dockerfile dockerfile = DockerfileParser.parse(text);
    return DockerfileSteps.of(
        dockerfile, Analysis.of(dockerfile, buildArgs, target, "linux/amd64"), labels);
  }

  /** Feeds the lines to buildah's output parser and returns the line of each step it started. */
  private static List<Integer> lines(DockerfileSteps steps, String... output) {
    BuildahOutputParser parser = new BuildahOutputParser(1);
    parser.useDockerfileSteps(steps);
    List<Integer> lines = new ArrayList<>();
    long seq = 0;
    for (String text : output) {
      parser.onLine(++seq, Instant.EPOCH, LogStream.STDOUT, text).events().stream()
          .filter(StepStarted.class::isInstance)
          .map(event -> ((StepStarted) event).line())
          .forEach(lines::add);
    }
    assertThat(lines).as("every line starts a step").hasSize(output.length);
    return lines;
  }
}
