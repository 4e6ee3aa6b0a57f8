package dev.kiln.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.dockerfile.Analysis;
import dev.kiln.dockerfile.Dockerfile;
import dev.kiln.dockerfile.DockerfileParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real buildah failures, captured with the worker's flags, explained as a user would read them. */
class BuildahFailureClassifierTest {
  private final BuildahFailureClassifier classifier = new BuildahFailureClassifier("linux/amd64");

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

  @Test
  void runKilledWithExit137IsOutOfMemoryAndNamesTheLimit() {
    BuildError error = explain("oom", 137, 32, DockerfileSteps.UNKNOWN);

    assertThat(error.category()).isEqualTo(ErrorCategory.OOM);
    assertThat(error.exitCode()).isEqualTo(137);
    assertThat(error.step()).isEqualTo(2);
    assertThat(error.message()).contains("memory limit of 32 MiB");
    assertThat(error.suggestion()).contains("Raise limits.memoryMb above 32");
  }

  @Test
  void runWhoseFirstProcessIsKilledIsOutOfMemoryWithExit137() {
    BuildError error = explain("oom-killed-process", 1, 32, DockerfileSteps.UNKNOWN);

    assertThat(error.category()).isEqualTo(ErrorCategory.OOM);
    assertThat(error.exitCode()).isEqualTo(137);
  }

  @Test
  void exit127SaysTheCommandIsNotInTheImage() {
    BuildError error = explain("command-not-found", 127);

    assertThat(error.category()).isEqualTo(ErrorCategory.RUN_FAILED);
    assertThat(error.message()).isEqualTo("/bin/sh: no-such-tool: not found");
    assertThat(error.suggestion()).contains("not found in the image");
  }

  @Test
  void unknownPackageAsksForAptGetUpdateInTheSameRun() {
    BuildError error = explain("unable-to-locate-package", 100);

    assertThat(error.category()).isEqualTo(ErrorCategory.RUN_FAILED);
    assertThat(error.message()).isEqualTo("E: Unable to locate package hello");
    assertThat(error.suggestion()).contains("'hello'").contains("apt-get update in the same RUN");
  }

  @Test
  void execFormatErrorIsAPlatformMismatchNamingTheWorkersPlatform() {
    BuildError error = explain("exec-format-error", 1);

    assertThat(error.category()).isEqualTo(ErrorCategory.PLATFORM_UNSUPPORTED);
    assertThat(error.message()).contains("exec format error");
    assertThat(error.suggestion()).contains("linux/amd64");
  }

  @Test
  void runThatCannotResolveNamesIsANetworkError() {
    BuildError error = explain("network-none", 100);

    assertThat(error.category()).isEqualTo(ErrorCategory.NETWORK);
    assertThat(error.suggestion()).contains("network none");
  }

  @Test
  void baseImageRegistryThatRefusesConnectionsIsANetworkError() {
    BuildError error = explain("registry-unreachable", 125);

    assertThat(error.category()).isEqualTo(ErrorCategory.NETWORK);
    assertThat(error.step()).isEqualTo(1);
    assertThat(error.message()).endsWith("connect: connection refused");
  }

  @Test
  void baseImageTheRegistryWillNotHandOutIsARegistryAuthError() {
    BuildError error = explain("base-image-unauthorized", 125);

    assertThat(error.category()).isEqualTo(ErrorCategory.REGISTRY_AUTH);
    assertThat(error.suggestion()).contains("FROM 127.0.0.1:41051/private/base:1");
  }

  @Test
  void storeWithoutSpaceIsDiskFull() {
    BuildError error = explain("disk-full", 125);

    assertThat(error.category()).isEqualTo(ErrorCategory.DISK_FULL);
    assertThat(error.step()).isEqualTo(2);
  }

  @Test
  void missingCopySourceIsNamedWithTheContextAndDockerignore() {
    BuildError error = explain("copy-source-missing", 125);

    assertThat(error.suggestion()).contains("'missing.txt'").contains(".dockerignore");
  }

  @Test
  void theFailingStepsDockerfileLineComesWithTheError() {
    DockerfileSteps steps =
        steps(
            "FROM scratch\n"
                + "COPY busybox /bin/busybox\n\n"
                + "# the step that fails\n"
                + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \\\n"
                + "  \"echo about to fail; echo bad thing happened >&2; exit 3\"]\n"
                + "LABEL never=reached\n");

    BuildError error = explain("failing-run", 3, null, steps);

    assertThat(error.line()).isEqualTo(5);
    assertThat(error.category()).isEqualTo(ErrorCategory.RUN_FAILED);
  }

  @Test
  void baseImageOfAnArgIsNamedAsTheDockerfileExpandsIt() {
    DockerfileSteps steps =
        steps(
            "ARG REGISTRY=127.0.0.1:41051\n"
                + "FROM ${REGISTRY}/private/base:1\n"
                + "RUN [\"/bin/busybox\", \"true\"]\n");

    BuildError error = explain("base-image-unauthorized", 125, null, steps);

    assertThat(error.category()).isEqualTo(ErrorCategory.REGISTRY_AUTH);
    assertThat(error.line()).isEqualTo(2);
    assertThat(error.suggestion()).contains("'127.0.0.1:41051/private/base:1'");
  }

  @Test
  void copyFromAStageOfAMissingFileNamesTheStageNotTheContext() {
    DockerfileSteps steps =
        steps(
            """
            FROM scratch AS build
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "sh", "-c", "echo built > /artifact"]

            FROM scratch
            COPY --from=build /artefact /artifact
            """);

    BuildError error = explain("copy-from-stage-missing", 125, null, steps);

    assertThat(error.category()).isEqualTo(ErrorCategory.COPY_SOURCE_MISSING);
    assertThat(error.step()).isEqualTo(5);
    assertThat(error.line()).isEqualTo(6);
    assertThat(error.suggestion())
        .contains("'artefact' is not in stage 'build' (lines 1-3)")
        .doesNotContain(".dockerignore");
  }

  @Test
  void copyFromAnImageThatCannotBeReachedIsANetworkErrorNotAMissingFile() {
    DockerfileSteps steps = steps("FROM scratch\nCOPY --from=127.0.0.1:1/nope/img:1 /x /x\n");

    BuildError withAnalysis = explain("copy-from-image-unreachable", 125, null, steps);
    BuildError withoutAnalysis = explain("copy-from-image-unreachable", 125);

    assertThat(withAnalysis.category()).isEqualTo(ErrorCategory.NETWORK);
    assertThat(withAnalysis.line()).isEqualTo(2);
    assertThat(withAnalysis.suggestion()).contains("'127.0.0.1:1/nope/img:1'");
    assertThat(withoutAnalysis.category()).isEqualTo(ErrorCategory.COPY_SOURCE_MISSING);
  }

  @Test
  void pushToARegistryThatIsDownSaysItCannotBeReached() {
    BuildError error =
        classifier.explainPush(
            125,
            "127.0.0.1:1/team/app:1.0",
            List.of(
                "Error: pushing image \"x\" to \"docker://127.0.0.1:1/team/app:1.0\": dial tcp"
                    + " 127.0.0.1:1: connect: connection refused"));

    assertThat(error.category()).isEqualTo(ErrorCategory.PUSH_FAILED);
    assertThat(error.suggestion()).contains("could not reach the registry");
  }

  @Test
  void pushWithoutCredentialsIsARegistryAuthError() {
    List<String> stderr =
        CapturedOutput.load("failures/push-unauthorized.output").lines().stream()
            .map(CapturedOutput.Line::text)
            .toList();

    BuildError error = classifier.explainPush(125, "127.0.0.1:41051/team/app:1", stderr);

    assertThat(error.category()).isEqualTo(ErrorCategory.REGISTRY_AUTH);
    assertThat(error.message()).endsWith("unauthorized: authentication required");
  }

  private BuildError explain(String name, int exitCode) {
    return explain(name, exitCode, null, DockerfileSteps.UNKNOWN);
  }

  private BuildError explain(String name, int exitCode, Integer memoryMb, DockerfileSteps steps) {
    BuildahOutputParser parser = new BuildahOutputParser(1);
    parser.useDockerfileSteps(steps);
    LogSequencer sequencer = new LogSequencer(parser);
    List<LogLine> recent = new ArrayList<>();
    for (CapturedOutput.Line line : CapturedOutput.load("failures/" + name + ".output").lines()) {
      recent.add(sequencer.append(Instant.EPOCH, line.stream(), line.text()).line());
    }
    return classifier.explainBuild(exitCode, sequencer.runningStep(), steps, recent, memoryMb);
  }

  private static DockerfileSteps steps(String dockerfile) {
    Dockerfile parsed = DockerfileParser.parse(dockerfile);
    return DockerfileSteps.of(parsed, Analysis.of(parsed), 0);
  }
}
