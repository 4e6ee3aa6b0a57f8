package dev.kiln.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.context.Tars;
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
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.contracts.spec.BuildSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * The worker as the farm sees it: commands in on Kafka, real buildah builds, reports, steps and log
 * chunks out on Kafka, images in a real registry or uploaded as OCI archives.
 */
@QuarkusTest
@WithTestResource(WorkerTestResources.class)
class BuildWorkerIT extends WorkerHarness {
  @Test
  void twoStageBuildOfAnUploadedContextIsPushedWithEveryLineAndStep() throws Exception {
    String dockerfile =
        """
        FROM scratch AS build
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "sh", "-c", "echo hello > /greeting; echo to-stderr >&2"]

        FROM scratch
        COPY --from=build /greeting /greeting
        """;
    Digest context = uploadContext(true, dockerfile);
    ImageRef tag = ImageRef.parse(registry + "/team/app:1.0");
    String buildId = BuildIds.newId();

    assign(buildId, spec(BuildSource.ofContext(context), List.of(tag), true));
    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(finished.image().pushedRefs()).containsExactly(tag.toString());
    assertThat(finished.image().layers()).hasSize(1);
    assertThat(reportTypes(buildId)).containsExactly("BuildAccepted", "BuildFinished");

    List<LogLine> lines = logLines(buildId);
    assertThat(lines)
        .extracting(LogLine::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, finished.lastSeq()).boxed().toList());
    assertThat(lines)
        .extracting(LogLine::text)
        .contains(
            "[1/2] STEP 1/3: FROM scratch AS build",
            "[1/2] STEP 3/3: RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo hello > /greeting;"
                + " echo to-stderr >&2\"]",
            "[2/2] STEP 2/2: COPY --from=build /greeting /greeting");
    assertThat(lines)
        .filteredOn(line -> line.text().equals("to-stderr"))
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.stream()).isEqualTo(LogStream.STDERR);
              assertThat(line.step()).isEqualTo(3);
            });
    assertThat(recorder.of(buildId, StepStarted.class))
        .extracting(StepStarted::step)
        .containsExactly(1, 2, 3, 4, 5);
    assertThat(recorder.of(buildId, StepFinished.class))
        .extracting(StepFinished::step)
        .containsExactly(1, 2, 3, 4, 5);
    assertThat(recorder.of(buildId, StepFinished.class)).noneMatch(StepFinished::failed);

    JsonNode inspected =
        EventCodec.mapper()
            .readTree(run("skopeo", "inspect", "--tls-verify=false", "docker://" + tag.toString()));
    assertThat(inspected.path("Digest").asText()).isEqualTo(finished.image().digest().toString());
    assertThat(fileInImage(tag, "greeting")).isEqualTo("hello\n");
  }

  @Test
  void runThatExitsWithThreeFailsTheBuildAsRunFailed() {
    String buildId = BuildIds.newId();
    String dockerfile =
        "FROM "
            + registry
            + "/base/busybox:1\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo failing; exit 3\"]\n";

    assign(buildId, spec(BuildSource.ofDockerfile(dockerfile), List.of(), false));
    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).isEqualTo(BuildState.FAILED);
    assertThat(finished.error().category()).isEqualTo(ErrorCategory.RUN_FAILED);
    assertThat(finished.error().exitCode()).isEqualTo(3);
    assertThat(finished.error().step()).isEqualTo(2);
    assertThat(finished.error().instruction()).startsWith("RUN [\"/bin/busybox\"");
    assertThat(recorder.of(buildId, StepFinished.class))
        .filteredOn(StepFinished::failed)
        .singleElement()
        .extracting(StepFinished::step)
        .isEqualTo(2);
    assertThat(logLines(buildId)).extracting(LogLine::text).contains("failing");
  }

  @Test
  void cancelledBuildStopsAndLeavesNoProcessBehind() throws Exception {
    String buildId = BuildIds.newId();
    Digest context = uploadContext(false, null);
    String dockerfile =
        "FROM scratch\n"
            + "COPY busybox /bin/busybox\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo started "
            + buildId
            + "; /bin/busybox sleep 60\"]\n";
    assign(buildId, spec(new BuildSource(null, context, dockerfile, null), List.of(), false));
    await()
        .atMost(BUILD_TIME)
        .until(
            () -> hasStarted(buildId) || recorder.first(buildId, BuildFinished.class).isPresent());
    assertThat(hasStarted(buildId))
        .as("the RUN step started: %s", recorder.first(buildId, BuildFinished.class))
        .isTrue();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                recorder.heartbeats(workerId).stream()
                    .anyMatch(beat -> beat.running().contains(new RunningAttempt(buildId, 1))));

    scheduler.publishAndWait(
        Envelope.of(buildId, new CancelBuild(workerId, 1, CancelReason.USER_REQUESTED)),
        Duration.ofSeconds(30));
    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).isEqualTo(BuildState.CANCELLED);
    assertThat(finished.error().category()).isEqualTo(ErrorCategory.CANCELLED);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(reportTypes(buildId)).endsWith("BuildFinished", "CancelAcknowledged"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(ProcessHandle.allProcesses())
                    .noneMatch(
                        process ->
                            process.info().commandLine().orElse("").contains(buildId)
                                || process
                                    .info()
                                    .commandLine()
                                    .orElse("")
                                    .endsWith("busybox sleep 60")));
  }

  @Test
  void buildThatDoesNotPushUploadsAnOciArchive() throws Exception {
    String buildId = BuildIds.newId();
    String dockerfile =
        "FROM "
            + registry
            + "/base/busybox:1\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo kept > /marker\"]\n";

    assign(buildId, spec(BuildSource.ofDockerfile(dockerfile), List.of(), false));
    BuildFinished finished = awaitFinished(buildId);

    assertThat(finished.outcome()).as("%s", finished.error()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(finished.image().archived()).isTrue();
    assertThat(finished.image().pushedRefs()).isEmpty();
    Path archive = gatewayDir.resolve("archives").resolve(buildId);
    JsonNode index = EventCodec.mapper().readTree(entryOf(archive, "index.json"));
    assertThat(index.path("manifests").get(0).path("digest").asText())
        .isEqualTo(finished.image().digest().toString());
  }

  @Test
  void workerAnnouncesItselfWithHeartbeats() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(recorder.heartbeats(workerId))
                    .isNotEmpty()
                    .allSatisfy(
                        beat -> {
                          assertThat(beat.slotsTotal()).isEqualTo(2);
                          assertThat(beat.platform()).isEqualTo(Platform.current());
                          assertThat(beat.stopping()).isFalse();
                        }));
  }

  @Test
  void workerIsReadyWithBuildahFoundAndItsConsumerAssigned() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", is("UP"))
        .body("checks.name", hasItems("buildah", "registered"));
  }

  private static boolean hasStarted(String buildId) {
    return logLines(buildId).stream().anyMatch(line -> line.text().startsWith("started"));
  }

  /** Uploads a context with busybox (and the Dockerfile, when given) to the gateway stand-in. */
  private Digest uploadContext(boolean gzip, String dockerfile) throws Exception {
    Tars tar = Tars.tar().file("busybox", busybox(), 0755);
    if (dockerfile != null) {
      tar.file("Dockerfile", dockerfile);
    }
    return upload(gzip ? tar.gzipped() : tar.bytes());
  }

  /** Copies the image out of the registry with skopeo and unpacks it with umoci. */
  private static String fileInImage(ImageRef image, String file) throws Exception {
    Path dir = Files.createTempDirectory("kiln-image");
    try {
      run(
          "skopeo",
          "copy",
          "--src-tls-verify=false",
          "docker://" + image,
          "oci:" + dir.resolve("layout") + ":app");
      run(
          "umoci",
          "unpack",
          "--image",
          dir.resolve("layout") + ":app",
          dir.resolve("bundle").toString());
      return Files.readString(dir.resolve("bundle/rootfs").resolve(file));
    } finally {
      try (var tree = Files.walk(dir)) {
        tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static byte[] entryOf(Path tar, String name) throws IOException {
    try (InputStream file = Files.newInputStream(tar);
        TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.getName().equals(name)) {
          return in.readAllBytes();
        }
      }
    }
    throw new AssertionError(tar + " has no " + name);
  }
}
