package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Digest;
import dev.kiln.contracts.ImageRef;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.CancelBuild;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.contracts.events.LayerInfo;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.contracts.spec.BuildLimits;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.contracts.spec.GitSource;
import dev.kiln.contracts.spec.NetworkMode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every source and option of a build spec, with real buildah, registries and git repositories. */
@QuarkusTest
@WithTestResource(WorkerTestResources.class)
class BuildOptionsIT extends WorkerHarness {
  private static final Pattern FETCHED =
      Pattern.compile("fetched (\\d+) objects \\((\\d+) bytes stored\\) in (\\d+) ms");

  @ConfigProperty(name = "kiln.test.private-registry")
  String privateRegistry;

  @Test
  void gitBranchTagAndCommitBuildAndASecondBuildFetchesOnlyWhatChanged() throws Exception {
    Path dir = Files.createDirectories(root.resolve("repos").resolve("app-" + BuildIds.newId()));
    TestRepository repository = TestRepository.create(dir);
    byte[] data = new byte[2 << 20];
    new Random(7).nextBytes(data);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "app/Dockerfile",
        text(
            "FROM "
                + registry
                + "/base/busybox:1\n"
                + "COPY . /ctx\n"
                + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"test -e /ctx/data.bin && test ! -e"
                + " /ctx/notes.txt && cat /ctx/version\"]\n"));
    files.put("app/.dockerignore", text("notes.txt\n"));
    files.put("app/notes.txt", text("left out by .dockerignore"));
    files.put("app/data.bin", data);
    files.put("app/version", text("one\n"));
    String first = repository.commit(files, "first");
    repository.tag("v1");

    BuildFinished byBranch = buildGit(new GitSource(repository.url(), "main", "app"));
    String firstBuild = lastBuildId;
    repository.commit(Map.of("app/version", text("two\n")), "second");
    BuildFinished again = buildGit(new GitSource(repository.url(), "main", "app"));
    String secondBuild = lastBuildId;
    BuildFinished byTag = buildGit(new GitSource(repository.url(), "v1", "app"));
    BuildFinished byCommit =
        buildGit(new GitSource(repository.url(), first.substring(0, 10), "app"));

    for (BuildFinished finished : List.of(byBranch, again, byTag, byCommit)) {
      assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.SUCCEEDED);
    }
    assertThat(logTexts(firstBuild)).contains("one");
    assertThat(logTexts(secondBuild)).contains("two");
    long[] cold = fetched(firstBuild);
    long[] warm = fetched(secondBuild);
    System.out.printf(
        "git mirror: first build fetched %d objects (%d bytes) in %d ms;"
            + " after a one-file commit the next fetched %d objects (%d bytes) in %d ms%n",
        cold[0], cold[1], cold[2], warm[0], warm[1], warm[2]);
    assertThat(warm[0]).isLessThan(cold[0]);
    assertThat(warm[1]).isLessThan(data.length / 10);
  }

  @Test
  void dockerignoreOfAnUploadedContextLeavesFilesOut() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "Dockerfile",
        text(
            "FROM scratch\nCOPY . /ctx\nCOPY busybox /bin/busybox\n"
                + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"test ! -e /ctx/build/out.o"
                + " && test -e /ctx/build/keep.o && test ! -e /ctx/Dockerfile\"]\n"));
    files.put(".dockerignore", text("build/*.o\n!build/keep.o\nDockerfile\n"));
    files.put("busybox", busybox());
    files.put("build/out.o", text("x"));
    files.put("build/keep.o", text("y"));
    Digest context = uploadContext(files);
    String buildId = BuildIds.newId();

    assign(buildId, spec(BuildSource.ofContext(context), List.of(), false));
    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(logTexts(buildId))
        .contains(".dockerignore: 3 rules left 1 entries out of the context");
  }

  @Test
  void buildArgsTargetLabelsLimitsAndNetworkNoneReachTheBuild() throws Exception {
    String dockerfile =
        "FROM "
            + registry
            + "/base/busybox:1 AS tools\n"
            + "ARG FLAVOUR\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo flavour=$FLAVOUR; test \\\"$(ls"
            + " /sys/class/net)\\\" = lo && echo only-loopback; echo quota=$(cat"
            + " /sys/fs/cgroup/cpu/cpu.cfs_quota_us)\"]\n"
            + "\n"
            + "FROM tools AS never-built\n"
            + "RUN [\"/bin/busybox\", \"false\"]\n";
    ImageRef tag = ImageRef.parse(registry + "/team/options:1");
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile(dockerfile),
            null,
            "tools",
            Map.of("FLAVOUR", "mint"),
            List.of(tag),
            true,
            new BuildOptions(false, null, false, null, NetworkMode.NONE),
            null,
            new BuildLimits(1.5, 256, null),
            0,
            Map.of("org.example.team", "core"));
    String buildId = BuildIds.newId();

    assign(buildId, spec);
    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(logTexts(buildId)).contains("flavour=mint", "only-loopback", "quota=150000");
    JsonNode inspected =
        EventCodec.mapper()
            .readTree(run("skopeo", "inspect", "--tls-verify=false", "docker://" + tag));
    assertThat(inspected.at("/Labels/org.example.team").asText()).isEqualTo("core");
    assertThat(recorder.of(buildId, StepStarted.class))
        .extracting(StepStarted::line)
        .containsExactly(1, 2, 3);
    assertThat(finished.image().layers()).last().extracting(LayerInfo::line).isEqualTo(3);
  }

  @Test
  void secretsAreUsableButMaskedInEveryLineAndNeverInTheImage() throws Exception {
    String secret = "s3cr3t-" + BuildIds.newId().substring(0, 8);
    String dockerfile =
        "FROM "
            + registry
            + "/base/busybox:1\n"
            + "RUN --mount=type=secret,id=token [\"/bin/busybox\", \"sh\", \"-c\","
            + " \"echo the token is $(cat /run/secrets/token); printf '%065530d' 0; cat"
            + " /run/secrets/token; echo tail-of-the-line\"]\n";
    ImageRef tag = ImageRef.parse(registry + "/team/secret:1");
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile(dockerfile),
            null,
            null,
            null,
            List.of(tag),
            true,
            null,
            Map.of("token", secret),
            null,
            0,
            null);
    String buildId = BuildIds.newId();

    assign(buildId, spec);
    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.SUCCEEDED);
    List<String> texts = logTexts(buildId);
    assertThat(texts).contains("the token is *****");
    assertThat(texts)
        .anySatisfy(line -> assertThat(line).endsWith("*****t … [line cut at 65536 bytes]"));
    assertThat(everythingPublishedAbout(buildId)).doesNotContain(secret.substring(0, 6));
    Path layout = Files.createTempDirectory(root, "layout");
    run("skopeo", "copy", "--src-tls-verify=false", "docker://" + tag, "oci:" + layout + ":1");
    run("umoci", "unpack", "--image", layout + ":1", layout.resolve("bundle").toString());
    try (var tree = Files.walk(layout.resolve("bundle/rootfs"))) {
      assertThat(tree.filter(Files::isRegularFile)).noneMatch(file -> contains(file, secret));
    }
  }

  @Test
  void platformTheWorkerCannotBuildIsRefusedNamingTheWorkersOwn() {
    String buildId = BuildIds.newId();
    Platform other =
        Platform.current().architecture().equals("arm64")
            ? Platform.parse("linux/amd64")
            : Platform.parse("linux/arm64");
    assign(
        buildId,
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch\n"),
            null,
            null,
            null,
            List.of(),
            false,
            new BuildOptions(false, null, false, other, null),
            null,
            null,
            0,
            null));

    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).isEqualTo(BuildState.FAILED);
    assertThat(finished.error().category()).isEqualTo(ErrorCategory.PLATFORM_UNSUPPORTED);
    assertThat(finished.error().message()).contains(Platform.current().toString());
  }

  @Test
  void cancellingOneOfTwoRunningBuildsStopsItAloneAndRemovesItsContainers() throws Exception {
    String kept = BuildIds.newId();
    String cancelled = BuildIds.newId();
    assign(kept, spec(BuildSource.ofDockerfile(sleeping(kept, 6)), List.of(), false));
    assign(cancelled, spec(BuildSource.ofDockerfile(sleeping(cancelled, 120)), List.of(), false));
    await().atMost(BUILD_TIME).until(() -> started(kept) && started(cancelled));

    long cancelAt = System.nanoTime();
    scheduler.publishAndWait(
        Envelope.of(cancelled, new CancelBuild(workerId, 1, CancelReason.USER_REQUESTED)),
        Duration.ofSeconds(30));
    BuildFinished stopped = awaitFinished(cancelled);
    System.out.printf(
        "cancel: the build stopped %d ms after its CancelBuild was stored%n",
        (System.nanoTime() - cancelAt) / 1_000_000);
    BuildFinished finished = awaitFinished(kept);

    assertThat(stopped.outcome()).isEqualTo(BuildState.CANCELLED);
    assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.SUCCEEDED);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(reportTypes(cancelled)).endsWith("BuildFinished", "CancelAcknowledged"));
    assertThat(workingContainers()).matches("\\[\\]|null");
  }

  @Test
  void timeoutCommandedByTheSchedulerEndsTimedOutAndIsAcknowledged() {
    String buildId = BuildIds.newId();
    assign(buildId, spec(BuildSource.ofDockerfile(sleeping(buildId, 120)), List.of(), false));
    await().atMost(BUILD_TIME).until(() -> started(buildId));

    scheduler.publishAndWait(
        Envelope.of(buildId, new CancelBuild(workerId, 1, CancelReason.TIMEOUT)),
        Duration.ofSeconds(30));
    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).isEqualTo(BuildState.TIMED_OUT);
    assertThat(finished.error().category()).isEqualTo(ErrorCategory.TIMEOUT);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(reportTypes(buildId)).endsWith("BuildFinished", "CancelAcknowledged"));
  }

  @Test
  void shortImageNamesResolveThroughTheRegistryMirror() {
    BuildFinished finished = build("FROM busybox:1\nRUN [\"/bin/busybox\", \"true\"]\n");

    assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.SUCCEEDED);
  }

  @Test
  void privateRegistryIsUsedWithTheWorkersCredentialsThatNeverShow() throws Exception {
    ImageRef tag = ImageRef.parse(privateRegistry + "/team/private:1");
    String buildId = BuildIds.newId();
    assign(
        buildId,
        spec(
            BuildSource.ofDockerfile(
                "FROM "
                    + privateRegistry
                    + "/private/busybox:1\n"
                    + "RUN [\"/bin/busybox\", \"echo\", \""
                    + WorkerTestResources.REGISTRY_PASSWORD
                    + "\"]\n"),
            List.of(tag),
            true));

    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(finished.image().pushedRefs()).containsExactly(tag.toString());
    String published = everythingPublishedAbout(buildId);
    String encoded =
        Base64.getEncoder()
            .encodeToString(
                (WorkerTestResources.REGISTRY_USER + ":" + WorkerTestResources.REGISTRY_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(published)
        .contains("*****")
        .doesNotContain(WorkerTestResources.REGISTRY_PASSWORD)
        .doesNotContain(encoded);
  }

  private String lastBuildId;

  private BuildFinished buildGit(GitSource git) {
    lastBuildId = BuildIds.newId();
    assign(lastBuildId, spec(BuildSource.ofGit(git), List.of(), false));
    return awaitFinished(lastBuildId);
  }

  private static long[] fetched(String buildId) {
    for (String text : logTexts(buildId)) {
      Matcher matcher = FETCHED.matcher(text);
      if (matcher.find()) {
        return new long[] {
          Long.parseLong(matcher.group(1)),
          Long.parseLong(matcher.group(2)),
          Long.parseLong(matcher.group(3))
        };
      }
    }
    throw new AssertionError("build " + buildId + " logged no fetch: " + logTexts(buildId));
  }

  private String sleeping(String buildId, int seconds) {
    return "FROM "
        + registry
        + "/base/busybox:1\n"
        + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo started "
        + buildId
        + "; /bin/busybox sleep "
        + seconds
        + "\"]\n";
  }

  private static boolean started(String buildId) {
    return logLines(buildId).stream()
        .map(LogLine::text)
        .anyMatch(text -> text.equals("started " + buildId));
  }

  private String workingContainers() throws Exception {
    Path worker = root.resolve("worker");
    return run(
            "buildah",
            "--root",
            worker.resolve("storage").toString(),
            "--runroot",
            worker.resolve("runroot").toString(),
            "--storage-driver",
            "overlay",
            "containers",
            "--json")
        .replaceAll("\\s", "");
  }

  private static String everythingPublishedAbout(String buildId) {
    StringBuilder all = new StringBuilder();
    for (Envelope envelope : recorder.of(buildId)) {
      all.append(new String(EventCodec.encode(envelope), StandardCharsets.UTF_8)).append('\n');
    }
    return all.toString();
  }

  private static boolean contains(Path file, String text) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
