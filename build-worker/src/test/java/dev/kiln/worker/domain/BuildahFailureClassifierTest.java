package dev.kiln.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real buildah failures, captured with the worker's flags, explained as a user would read them. */
class BuildahFailureClassifierTest {
  private final BuildahFailureClassifier classifier = new BuildahFailureClassifier();

  @Test
  void failingRunReportsTheCommandsExitCodeAndWhatItPrintedLast() {
    BuildError error = explain("failing-run", 3);

    assertThat(error.category()).isEqualTo(ErrorCategory.RUN_FAILED);
    assertThat(error.exitCode()).isEqualTo(3);
    assertThat(error.step()).isEqualTo(3);
    assertThat(error.instruction()).startsWith("RUN [\"/bin/busybox\"");
    assertThat(error.message()).isEqualTo("bad thing happened");
    assertThat(error.suggestion()).contains("exited with code 3");
  }

  @Test
  void unknownInstructionIsASyntaxErrorWithoutBuildahsInternals() {
    BuildError error = explain("unknown-instruction", 125);

    assertThat(error.category()).isEqualTo(ErrorCategory.DOCKERFILE_SYNTAX);
    assertThat(error.step()).isEqualTo(3);
    assertThat(error.instruction()).isEqualTo("FROBNICATE now");
    assertThat(error.message())
        .isEqualTo(
            "building at STEP \"FROBNICATE \": Build error: Unknown instruction: \"FROBNICATE\"");
    assertThat(error.exitCode()).isEqualTo(125);
  }

  @Test
  void dockerfileWithoutFromIsASyntaxErrorOfNoStep() {
    BuildError error = explain("no-from", 125);

    assertThat(error.category()).isEqualTo(ErrorCategory.DOCKERFILE_SYNTAX);
    assertThat(error.step()).isNull();
    assertThat(error.message()).isEqualTo("no FROM statement found");
  }

  @Test
  void copyOfAMissingFileNamesTheCopyStep() {
    BuildError error = explain("copy-source-missing", 125);

    assertThat(error.category()).isEqualTo(ErrorCategory.COPY_SOURCE_MISSING);
    assertThat(error.step()).isEqualTo(2);
    assertThat(error.instruction()).isEqualTo("COPY missing.txt /missing.txt");
    assertThat(error.message()).contains("\"/missing.txt\": no such file or directory");
  }

  @Test
  void unknownBaseImageIsReportedOnTheFromStep() {
    BuildError error = explain("base-image-not-found", 125);

    assertThat(error.category()).isEqualTo(ErrorCategory.BASE_IMAGE_NOT_FOUND);
    assertThat(error.step()).isEqualTo(1);
    assertThat(error.instruction()).isEqualTo("FROM 127.0.0.1:5055/nope/base:1");
    assertThat(error.message()).contains("manifest unknown");
  }

  @Test
  void failedPushTakesBuildahsErrorLine() {
    BuildError error =
        classifier.explainPush(
            125,
            "registry.example:5000/team/app:1.0",
            List.of(
                "Getting image source signatures",
                "Error: pushing image \"x\" to \"docker://registry.example:5000/team/app:1.0\":"
                    + " dial tcp: connection refused"));

    assertThat(error.category()).isEqualTo(ErrorCategory.PUSH_FAILED);
    assertThat(error.message()).endsWith("dial tcp: connection refused");
    assertThat(error.exitCode()).isEqualTo(125);
  }

  @Test
  void pushRefusedForCredentialsIsARegistryAuthError() {
    BuildError error =
        classifier.explainPush(
            125,
            "registry.example/team/app:1.0",
            List.of("Error: writing blob: unauthorized: authentication required"));

    assertThat(error.category()).isEqualTo(ErrorCategory.REGISTRY_AUTH);
  }

  private BuildError explain(String name, int exitCode) {
    LogSequencer sequencer = new LogSequencer(new BuildahOutputParser(1));
    List<LogLine> lines = new ArrayList<>();
    for (CapturedOutput.Line line : CapturedOutput.load("failures/" + name + ".output").lines()) {
      lines.add(sequencer.append(Instant.EPOCH, line.stream(), line.text()).line());
    }
    return classifier.explainBuild(exitCode, sequencer.runningStep(), lines);
  }
}
