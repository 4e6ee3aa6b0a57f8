package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.context.Tars;
import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Digest;
import dev.kiln.contracts.ImageRef;
import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.BuildAssigned;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.CancelAcknowledged;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.LogChunk;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the worker's integration tests share: a scheduler stand-in that publishes commands, a
 * recorder of everything the worker publishes, and the farm around the worker from {@link
 * WorkerTestResources}.
 */
abstract class WorkerHarness {
  static final Duration BUILD_TIME = Duration.ofMinutes(3);
  static EventPublisher scheduler;
  static EventRecorder recorder;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "kiln.worker.id")
  String workerId;

  @ConfigProperty(name = "kiln.test.gateway-dir")
  Path gatewayDir;

  @ConfigProperty(name = "kiln.test.registry")
  String registry;

  @ConfigProperty(name = "kiln.test.root")
  Path root;

  @BeforeEach
  void connect() {
    if (scheduler == null) {
      scheduler = new EventPublisher(KafkaClients.producerConfig(bootstrapServers, "it-scheduler"));
      recorder = new EventRecorder(bootstrapServers);
    }
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    if (scheduler != null) {
      scheduler.close();
      recorder.close();
      scheduler = null;
      recorder = null;
    }
  }

  void assign(String buildId, BuildSpec spec) {
    scheduler.publishAndWait(
        Envelope.of(
            buildId,
            new BuildAssigned(workerId, 1, Instant.now().plusSeconds(300), spec, "tester")),
        Duration.ofSeconds(30));
  }

  static BuildSpec spec(BuildSource source, List<ImageRef> tags, boolean push) {
    return new BuildSpec(source, null, null, null, tags, push, null, null, null, 0, null);
  }

  static BuildFinished awaitFinished(String buildId) {
    await()
        .atMost(BUILD_TIME)
        .until(() -> recorder.first(buildId, BuildFinished.class).isPresent());
    return recorder.first(buildId, BuildFinished.class).orElseThrow();
  }

  /** Builds, and waits for the report of, an inline Dockerfile with no push. */
  BuildFinished build(String dockerfile) {
    String buildId = BuildIds.newId();
    assign(buildId, spec(BuildSource.ofDockerfile(dockerfile), List.of(), false));
    return awaitFinished(buildId);
  }

  /** After a bad build, a good one still succeeds: the worker is healthy. */
  void aNextBuildSucceeds() {
    BuildFinished next =
        build("FROM " + registry + "/base/busybox:1\nRUN [\"/bin/busybox\", \"true\"]\n");
    assertThat(next.outcome()).as("a next build: %s", next.error()).isEqualTo(BuildState.SUCCEEDED);
  }

  static List<String> reportTypes(String buildId) {
    return recorder.of(buildId).stream()
        .map(Envelope::type)
        .filter(
            type ->
                type.equals(BuildAccepted.class.getSimpleName())
                    || type.equals(BuildFinished.class.getSimpleName())
                    || type.equals(CancelAcknowledged.class.getSimpleName()))
        .toList();
  }

  /** Every line of the build's log, in seq order, checking that only the final chunk is last. */
  static List<LogLine> logLines(String buildId) {
    List<LogChunk> chunks =
        recorder.of(buildId, LogChunk.class).stream()
            .sorted(Comparator.comparingLong(LogChunk::firstSeq))
            .toList();
    for (int i = 0; i < chunks.size() - 1; i++) {
      assertThat(chunks.get(i).last()).as("only the final chunk is last").isFalse();
    }
    return chunks.stream().flatMap(chunk -> chunk.lines().stream()).toList();
  }

  static List<String> logTexts(String buildId) {
    return logLines(buildId).stream().map(LogLine::text).toList();
  }

  /** Uploads a context of the given files (name → content) to the gateway stand-in. */
  Digest uploadContext(Map<String, byte[]> files) throws Exception {
    Tars tar = Tars.tar();
    files.forEach((name, content) -> tar.file(name, content, 0755));
    return upload(tar.bytes());
  }

  /** Keeps an archive as a context of the gateway stand-in, under its digest. */
  Digest upload(byte[] archive) throws Exception {
    Digest digest = Digest.sha256(MessageDigest.getInstance("SHA-256").digest(archive));
    Files.write(gatewayDir.resolve("contexts").resolve(digest.toString()), archive);
    return digest;
  }

  static byte[] busybox() throws IOException {
    return Files.readAllBytes(Path.of("/bin/busybox"));
  }

  static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }
}
