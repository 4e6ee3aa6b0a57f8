package dev.kiln.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Digest;
import dev.kiln.contracts.ImageRef;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.spec.BuildLimits;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.contracts.spec.GitSource;
import dev.kiln.contracts.spec.NetworkMode;
import dev.kiln.contracts.spec.PullPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {
  private static final Digest DIGEST =
      Digest.parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

  static Stream<Event> everyEventType() {
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofGit(new GitSource("https://git.example/app.git", "v1", "svc")),
            "build/Dockerfile",
            "runtime",
            Map.of("VERSION", "1.2"),
            List.of(ImageRef.parse("localhost:5000/team/app:1.0")),
            true,
            new BuildOptions(
                true, PullPolicy.ALWAYS, false, Platform.parse("linux/amd64"), NetworkMode.NONE),
            Map.of("npmrc", "token"),
            new BuildLimits(1.5, 512, 600),
            3,
            Map.of("team", "core"),
            Map.of("gpu", "true"));
    ImageInfo image =
        new ImageInfo(
            DIGEST,
            DIGEST,
            List.of("localhost:5000/team/app:1.0"),
            1234,
            List.of(new LayerInfo(DIGEST, 1000, "COPY . /app", 4)),
            false);
    BuildError error =
        new BuildError(ErrorCategory.RUN_FAILED, "exit 3", "fix the command", 3, "RUN false", 5, 3);
    return Stream.of(
        new BuildRequested(spec, "alice"),
        new CancelRequested("alice", "wrong branch"),
        new BuildAssigned("w1", 2, NOW, spec, "alice"),
        new CancelBuild("w1", 2, CancelReason.TIMEOUT),
        new BuildAccepted("w1", 2),
        new BuildFinished("w1", 2, BuildState.SUCCEEDED, image, null, 42),
        new CancelAcknowledged("w1", 2),
        new BuildStatusChanged(
            BuildState.RUNNING, BuildState.FAILED, 2, "RUN_FAILED", "w1", null, error, 42L),
        new StepStarted(2, 3, 1, 2, 3, 3, "RUN make", 5, 17),
        new StepFinished(2, 3, 1, 2, 3, 3, "RUN make", 5, true, false, 120, "abc", 20),
        new LogChunk(
            2,
            7,
            List.of(
                new LogLine(7, NOW, LogStream.STDOUT, 3, "hello"),
                new LogLine(8, NOW, LogStream.STDERR, 3, "wörld \u001b[31mred\u001b[0m")),
            true),
        new WorkerHeartbeat(
            "w1",
            4,
            3,
            Platform.parse("linux/amd64"),
            Map.of("gpu", "no"),
            List.of(new WorkerHeartbeat.RunningAttempt(BuildIds.newId(), 1)),
            List.of("git:https://git.example/app.git#Dockerfile"),
            NOW,
            false));
  }

  @Test
  void everyEventTypeIsCovered() {
    Set<String> covered = everyEventType().map(Event::type).collect(Collectors.toSet());
    Set<String> declared =
        Arrays.stream(Event.class.getPermittedSubclasses())
            .map(Class::getSimpleName)
            .collect(Collectors.toSet());
    assertThat(covered).isEqualTo(declared);
  }

  @ParameterizedTest
  @MethodSource("everyEventType")
  void roundTripKeepsEveryField(Event payload) {
    String buildId = payload instanceof WorkerHeartbeat ? null : BuildIds.newId();
    Envelope sent = Envelope.of(buildId, payload);

    Envelope received = EventCodec.decode(EventCodec.encode(sent)).orElseThrow();

    assertThat(received).isEqualTo(sent);
  }

  @Test
  void unknownFieldsAreIgnored() {
    String json =
        """
        {"eventId":"2b1b2b9e-4f55-4a39-9d53-7e8f1f6f3c11","type":"BuildAccepted","schemaVersion":1,
         "occurredAt":"2026-01-01T00:00:00Z","buildId":"b1","addedLater":{"x":1},
         "payload":{"workerId":"w1","attempt":1,"alsoNew":true}}
        """;
    Envelope envelope = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(envelope.payload()).isEqualTo(new BuildAccepted("w1", 1));
  }

  @Test
  void requestFromAnOlderProducerWithoutWorkerLabelsMayRunOnAnyWorker() {
    String json =
        """
        {"eventId":"2b1b2b9e-4f55-4a39-9d53-7e8f1f6f3c11","type":"BuildRequested","schemaVersion":1,
         "occurredAt":"2026-01-01T00:00:00Z","buildId":"b1",
         "payload":{"spec":{"source":{"dockerfile":"FROM scratch"},"priority":0},"owner":"bob"}}
        """;
    BuildRequested request =
        (BuildRequested)
            EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).orElseThrow().payload();
    assertThat(request.spec().workerLabels()).isEmpty();
  }

  @Test
  void unknownEnumValueReadsAsUnknownCategory() {
    String json =
        """
        {"eventId":"2b1b2b9e-4f55-4a39-9d53-7e8f1f6f3c11","type":"BuildStatusChanged",
         "schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","buildId":"b1",
         "payload":{"from":"RUNNING","to":"FAILED","attempt":1,
                    "error":{"category":"SOMETHING_NEW","message":"m"}}}
        """;
    BuildStatusChanged changed =
        (BuildStatusChanged)
            EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).orElseThrow().payload();
    assertThat(changed.error().category()).isEqualTo(ErrorCategory.UNKNOWN);
  }

  @Test
  void unknownTypeDecodesToEmpty() {
    String json =
        """
        {"eventId":"2b1b2b9e-4f55-4a39-9d53-7e8f1f6f3c11","type":"BuildTeleported",
         "schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","buildId":"b1","payload":{}}
        """;
    assertThat(EventCodec.decode(json.getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void invalidPayloadIsADecodingError() {
    String json =
        """
        {"eventId":"2b1b2b9e-4f55-4a39-9d53-7e8f1f6f3c11","type":"LogChunk","schemaVersion":1,
         "occurredAt":"2026-01-01T00:00:00Z","buildId":"b1",
         "payload":{"attempt":1,"firstSeq":1,"last":false,
                    "lines":[{"seq":1,"ts":"2026-01-01T00:00:00Z","stream":"stdout","text":"a"},
                             {"seq":3,"ts":"2026-01-01T00:00:00Z","stream":"stdout","text":"b"}]}}
        """;
    assertThatThrownBy(() -> EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EventCodec.EventDecodingException.class)
        .hasMessageContaining("consecutive");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "2026-01-01T00:00:00Z",
        "2026-01-01T12:34:56.1Z",
        "2026-01-01T12:34:56.123Z",
        "2026-01-01T12:34:56.123456Z",
        "2026-01-01T12:34:56.123456789Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "2024-02-29T23:59:59Z",
        "2026-01-01T01:00:00+01:00",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:00:00.Z",
        "2026-01-01t00:00:00z"
      })
  void instantsAreReadAsTheStandardParserReadsThem(String text) {
    assertThat(WireInstants.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "2026-02-30T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:00.1234567890Z",
        "2026-01-01 00:00:00Z",
        "yesterday"
      })
  void invalidInstantsAreRefusedAsTheStandardParserRefusesThem(String text) {
    assertThatThrownBy(() -> Instant.parse(text))
        .isInstanceOf(java.time.format.DateTimeParseException.class);
    assertThatThrownBy(() -> WireInstants.parse(text))
        .isInstanceOf(java.time.format.DateTimeParseException.class);
  }

  @Test
  void aPayloadBeforeItsTypeIsReadToo() {
    String json =
        """
        {"payload":{"workerId":"w1","attempt":2},"buildId":"b1","schemaVersion":1,
         "occurredAt":"2026-01-01T00:00:00.5Z","type":"BuildAccepted",
         "eventId":"2b1b2b9e-4f55-4a39-9d53-7e8f1f6f3c11"}
        """;
    Envelope envelope = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).orElseThrow();

    assertThat(envelope.payload()).isEqualTo(new BuildAccepted("w1", 2));
    assertThat(envelope.occurredAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.5Z"));
    assertThat(envelope.buildId()).isEqualTo("b1");
  }

  @Test
  void anEnvelopeWithoutEventIdIsADecodingError() {
    String json =
        """
        {"type":"BuildAccepted","occurredAt":"2026-01-01T00:00:00Z","buildId":"b1",
         "payload":{"workerId":"w1","attempt":2}}
        """;
    assertThatThrownBy(() -> EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EventCodec.EventDecodingException.class)
        .hasMessageContaining("eventId");
  }

  @Test
  void notJsonIsADecodingError() {
    assertThatThrownBy(() -> EventCodec.decode("nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EventCodec.EventDecodingException.class);
  }

  @Test
  void envelopeKeyIsTheBuildOrTheWorker() {
    assertThat(Envelope.of("b1", new BuildAccepted("w1", 1)).key()).isEqualTo("b1");
    WorkerHeartbeat heartbeat =
        new WorkerHeartbeat(
            "w9", 1, 1, Platform.parse("linux/amd64"), null, null, null, NOW, false);
    assertThat(Envelope.of(null, heartbeat).key()).isEqualTo("w9");
  }
}
