package dev.kiln.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileScanTest {
  private static final String MULTI_STAGE =
      """
      # syntax=docker/dockerfile:1
      ARG BASE=scratch

      FROM ${BASE} AS build
      # comments and blank lines are no instructions
      COPY busybox /bin/busybox
      RUN ["/bin/busybox", "sh", "-c", \\
          "echo hello > /greeting"]

      FROM scratch AS unused
      COPY --from=build /greeting /unused

      FROM scratch
      COPY --from=build /greeting /greeting
      LABEL a=b
      """;

  @Test
  void eachStepGetsTheLineItsInstructionStartsOn() {
    DockerfileScan scan = DockerfileScan.of(MULTI_STAGE);

    assertThat(scan.line(1, 3, 1, "FROM scratch AS build")).hasValue(4);
    assertThat(scan.line(1, 3, 2, "COPY busybox /bin/busybox")).hasValue(6);
    assertThat(scan.line(1, 3, 3, "RUN [\"/bin/busybox\", …")).hasValue(7);
    assertThat(scan.line(3, 3, 2, "COPY --from=build /greeting /greeting")).hasValue(14);
  }

  @Test
  void stagesTheEngineSkipsAreMatchedByTheirFromLine() {
    DockerfileScan scan = DockerfileScan.of(MULTI_STAGE);

    assertThat(scan.line(1, 2, 1, "FROM ${BASE} AS build")).hasValue(4);
    assertThat(scan.line(2, 2, 1, "FROM scratch")).hasValue(13);
    assertThat(scan.line(2, 2, 3, "LABEL a=b")).hasValue(15);
  }

  @Test
  void aStepWhoseKeywordDiffersGetsNoLine() {
    assertThat(DockerfileScan.of(MULTI_STAGE).line(1, 3, 2, "RUN something")).isEmpty();
  }

  @Test
  void theEscapeDirectiveChangesTheContinuationCharacter() {
    DockerfileScan scan =
        DockerfileScan.of("# escape=`\nFROM scratch\nRUN dir c:\\ `\n  /w\nCOPY a b\n");

    assertThat(scan.line(1, 1, 2, "RUN dir")).hasValue(3);
    assertThat(scan.line(1, 1, 3, "COPY a b")).hasValue(5);
  }

  @Test
  void hereDocumentBodiesAreNoInstructions() {
    DockerfileScan scan =
        DockerfileScan.of("FROM scratch\nRUN <<EOF\nCOPY not an instruction\nEOF\nCOPY a b\n");

    assertThat(scan.line(1, 1, 3, "COPY a b")).hasValue(5);
  }

  @Test
  void theImageStageIsTheTargetOrTheLast() {
    DockerfileScan scan = DockerfileScan.of(MULTI_STAGE);

    assertThat(scan.imageStage(null))
        .extracting(InstructionLines.Instruction::line)
        .containsExactly(13, 14, 15);
    assertThat(scan.imageStage("build"))
        .extracting(InstructionLines.Instruction::keyword)
        .containsExactly("FROM", "COPY", "RUN");
    assertThat(scan.imageStage("nope")).isEqualTo(List.of());
  }
}
