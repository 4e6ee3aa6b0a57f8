package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Digest;
import dev.kiln.contracts.ImageRef;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.contracts.spec.BuildLimits;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.contracts.spec.GitSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input ends its build with a reason a person can act on, and the worker goes on
 * building: every test ends with a good build.
 */
@QuarkusTest
@WithTestResource(WorkerTestResources.class)
class BadInputIT extends WorkerHarness {
  @Test
  void gitUrlThatDoesNotExistFailsTheFetch() {
    BuildFinished finished =
        buildGit(new GitSource(root.resolve("no-such-repository").toUri().toString(), null, ""));

    assertFailed(finished, ErrorCategory.SOURCE_FETCH_FAILED, "cannot fetch");
    aNextBuildSucceeds();
  }

  @Test
  void refThatDoesNotExistIsNamed() throws Exception {
    TestRepository repository = repository("refs");

    BuildFinished finished = buildGit(new GitSource(repository.url(), "no-such-branch", ""));

    assertFailed(
        finished,
        ErrorCategory.SOURCE_FETCH_FAILED,
        "has no branch, tag or commit 'no-such-branch'");
    aNextBuildSucceeds();
  }

  @Test
  void subdirLeadingOutOfTheRepositoryIsRefused() throws Exception {
    TestRepository repository = repository("escape");
    repository.commitLink("escape", "../..");

    BuildFinished finished = buildGit(new GitSource(repository.url(), "main", "escape"));

    assertFailed(finished, ErrorCategory.SOURCE_FETCH_FAILED, "leads outside the repository");
    aNextBuildSucceeds();
  }

  @Test
  void contextWithoutItsDockerfileSaysWhereItLooked() throws Exception {
    Digest context = uploadContext(Map.of("busybox", busybox()));
    String buildId = BuildIds.newId();

    assign(buildId, spec(BuildSource.ofContext(context), List.of(), false));

    assertFailed(
        awaitFinished(buildId), ErrorCategory.SOURCE_FETCH_FAILED, "no Dockerfile at 'Dockerfile'");
    aNextBuildSucceeds();
  }

  @Test
  void dockerfileSyntaxErrorNamesTheInstruction() {
    BuildFinished finished = build("FROM " + registry + "/base/busybox:1\nFROBNICATE now\n");

    assertFailed(finished, ErrorCategory.DOCKERFILE_SYNTAX, "FROBNICATE");
    assertThat(finished.error().line()).isEqualTo(2);
    aNextBuildSucceeds();
  }

  @Test
  void unknownBaseImageIsNotFound() {
    BuildFinished finished = build("FROM " + registry + "/no/such-image:1\nRUN true\n");

    assertFailed(finished, ErrorCategory.BASE_IMAGE_NOT_FOUND, "manifest unknown");
    assertThat(finished.error().line()).isEqualTo(1);
    aNextBuildSucceeds();
  }

  @Test
  void copyOfAMissingFileNamesItAndTheDockerignore() throws Exception {
    Digest context =
        uploadContext(Map.of("Dockerfile", text("FROM scratch\nCOPY missing.txt /missing.txt\n")));
    String buildId = BuildIds.newId();

    assign(buildId, spec(BuildSource.ofContext(context), List.of(), false));
    BuildFinished finished = awaitFinished(buildId);

    assertFailed(finished, ErrorCategory.COPY_SOURCE_MISSING, "missing.txt");
    assertThat(finished.error().suggestion()).contains(".dockerignore");
    assertThat(finished.error().line()).isEqualTo(2);
    aNextBuildSucceeds();
  }

  @Test
  void runThatExitsThreeGivesItsExitCodeAndLine() {
    BuildFinished finished =
        build(
            "FROM "
                + registry
                + "/base/busybox:1\n\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo no; exit 3\"]\n");

    assertFailed(finished, ErrorCategory.RUN_FAILED, "");
    assertThat(finished.error().exitCode()).isEqualTo(3);
    assertThat(finished.error().line()).isEqualTo(3);
    aNextBuildSucceeds();
  }

  @Test
  void buildPastItsMemoryLimitIsOutOfMemory() {
    String buildId = BuildIds.newId();
    String dockerfile =
        "FROM "
            + registry
            + "/base/busybox:1\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\","
            + " \"/bin/busybox dd if=/dev/zero of=/dev/null bs=200M count=1\"]\n";
    assign(
        buildId, withLimits(BuildSource.ofDockerfile(dockerfile), new BuildLimits(null, 32, null)));

    BuildFinished finished = awaitFinished(buildId);

    assertFailed(finished, ErrorCategory.OOM, "memory limit of 32 MiB");
    assertThat(finished.error().exitCode()).isEqualTo(137);
    aNextBuildSucceeds();
  }

  @Test
  void buildPastItsTimeLimitIsStoppedAsTimedOut() {
    String buildId = BuildIds.newId();
    String dockerfile =
        "FROM " + registry + "/base/busybox:1\n" + "RUN [\"/bin/busybox\", \"sleep\", \"120\"]\n";
    assign(
        buildId, withLimits(BuildSource.ofDockerfile(dockerfile), new BuildLimits(null, null, 5)));

    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).isEqualTo(BuildState.TIMED_OUT);
    assertThat(finished.error().category()).isEqualTo(ErrorCategory.TIMEOUT);
    assertThat(reportTypes(buildId)).doesNotContain("CancelAcknowledged");
    aNextBuildSucceeds();
  }

  @Test
  void pushToARegistryThatIsDownFailsThePush() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String buildId = BuildIds.newId();
    ImageRef tag = ImageRef.parse("127.0.0.1:" + closedPort + "/team/app:1");
    assign(
        buildId,
        spec(
            BuildSource.ofDockerfile("FROM " + registry + "/base/busybox:1\nLABEL a=b\n"),
            List.of(tag),
            true));

    BuildFinished finished = awaitFinished(buildId);

    assertFailed(finished, ErrorCategory.PUSH_FAILED, "connection refused");
    aNextBuildSucceeds();
  }

  @Test
  void baseImageOutsideTheAllowlistFailsBeforeBuildahRunsAndAnAllowedOneBuilds() throws Exception {
    Path dir =
        Files.createDirectories(root.resolve("repos").resolve("allowlist-" + BuildIds.newId()));
    TestRepository repository = TestRepository.create(dir);
    repository.commit(
        Map.of(
            "Dockerfile",
            text("ARG BASE=alpine:3\nFROM ${BASE}\nRUN [\"/bin/busybox\", \"true\"]\n")),
        "a Dockerfile whose base is a build argument");
    String refused = BuildIds.newId();
    String allowed = BuildIds.newId();

    assign(refused, gitSpec(repository.url(), Map.of()));
    BuildFinished denied = awaitFinished(refused);
    assign(allowed, gitSpec(repository.url(), Map.of("BASE", "busybox:1")));
    BuildFinished built = awaitFinished(allowed);

    assertFailed(
        denied,
        ErrorCategory.POLICY_DENIED,
        "line 2: FROM image 'alpine:3' (written '${BASE}') is not allowed; allowed images match"
            + " one of [");
    assertThat(denied.error().message()).contains("docker.io/library/busybox:*");
    assertThat(denied.error().line()).isEqualTo(2);
    assertThat(denied.error().instruction()).isEqualTo("FROM ${BASE}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(logTexts(refused))
                    .anyMatch(text -> text.startsWith("error: line 2: FROM image 'alpine:3'")));
    assertThat(logTexts(refused)).noneMatch(text -> text.startsWith("buildah "));
    assertThat(recorder.of(refused, StepStarted.class)).isEmpty();
    // Pulled through the mirror from the same registry, but allowed: the user wrote busybox:1.
    assertThat(built.outcome()).as("%s", built.error()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(recorder.of(allowed, StepStarted.class))
        .extracting(StepStarted::line)
        .containsExactly(2, 3);
  }

  private static BuildSpec gitSpec(String url, Map<String, String> buildArgs) {
    return new BuildSpec(
        BuildSource.ofGit(new GitSource(url, "main", "")),
        null,
        null,
        buildArgs,
        List.of(),
        false,
        null,
        null,
        null,
        0,
        null);
  }

  private BuildFinished buildGit(GitSource git) {
    String buildId = BuildIds.newId();
    assign(buildId, spec(BuildSource.ofGit(git), List.of(), false));
    return awaitFinished(buildId);
  }

  private TestRepository repository(String name) throws Exception {
    Path dir =
        Files.createDirectories(root.resolve("repos").resolve(name + "-" + BuildIds.newId()));
    TestRepository repository = TestRepository.create(dir);
    repository.commit(
        Map.of("Dockerfile", text("FROM " + registry + "/base/busybox:1\n")), "a Dockerfile");
    return repository;
  }

  private static BuildSpec withLimits(BuildSource source, BuildLimits limits) {
    return new BuildSpec(source, null, null, null, List.of(), false, null, null, limits, 0, null);
  }

  private static void assertFailed(BuildFinished finished, ErrorCategory category, String text) {
    assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.FAILED);
    assertThat(finished.error().category()).as("%s", finished.error()).isEqualTo(category);
    assertThat(finished.error().message()).contains(text);
    assertThat(finished.error().suggestion()).isNotBlank();
  }
}
