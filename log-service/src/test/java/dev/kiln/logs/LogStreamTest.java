package dev.kiln.logs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class LogStreamTest {
  private static final int CHUNK = 100;

  @TestHTTPResource("/")
  URI base;

  @Test
  void clientsConnectingWhileLinesPourInGetEveryLineOnceInOrderAndThenTheEnd() throws Exception {
    String buildId = BuildIds.newId();
    long total = 30_000;
    long resumeAfter = 1_234;
    CountDownLatch someWritten = new CountDownLatch(1);
    CountDownLatch halfWritten = new CountDownLatch(1);
    List<StreamClient> clients = new ArrayList<>();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.status(BuildState.ASSIGNED, BuildState.RUNNING, 1, null);
      CompletableFuture<Void> producer =
          CompletableFuture.runAsync(
              () -> {
                for (long from = 1; from <= total; from += CHUNK) {
                  build.chunk(1, from, from + CHUNK - 1, from + CHUNK - 1 == total);
                  if (from == 20 * CHUNK + 1) {
                    build.flush();
                    someWritten.countDown();
                  }
                  if (from == total / 2 + 1) {
                    halfWritten.countDown();
                  }
                }
                build.flush();
              });
      assertThat(someWritten.await(60, TimeUnit.SECONDS)).isTrue();
      clients.add(StreamClient.connect(base, buildId, "after=0"));
      clients.add(StreamClient.connect(base, buildId, "after=" + resumeAfter));
      assertThat(halfWritten.await(60, TimeUnit.SECONDS)).isTrue();
      clients.add(StreamClient.connect(base, buildId, ""));
      producer.get(60, TimeUnit.SECONDS);
      clients.add(StreamClient.connect(base, buildId, "after=0"));
      build.status(BuildState.RUNNING, BuildState.SUCCEEDED, 1, total);
      build.flush();
    }
    clients.add(StreamClient.connect(base, buildId, "after=0"));

    BuildEvents.eventually().until(() -> clients.stream().allMatch(StreamClient::isClosed));
    for (int i = 0; i < clients.size(); i++) {
      StreamClient client = clients.get(i);
      long from = i == 1 ? resumeAfter + 1 : 1;
      assertThat(firstDeviation(client.seqs(), from, total))
          .as("client %d, closed with %s", i, client.closeReason())
          .isEmpty();
      assertThat(client.messages().getLast().toString())
          .isEqualTo("{\"type\":\"end\",\"status\":\"SUCCEEDED\"}");
      assertThat(client.closeReason().getCode()).isEqualTo(1000);
    }
    JsonNode line = clients.getFirst().lines().get(41);
    assertThat(line.get("attempt").asInt()).isEqualTo(1);
    assertThat(line.get("text").asText()).isEqualTo(BuildEvents.text(42));
    assertThat(line.get("stream").asText()).isEqualTo("stdout");
    assertThat(line.get("ts").asText()).endsWith("Z");
  }

  @Test
  void reconnectingAfterASeqGetsExactlyTheRest() {
    String buildId = BuildIds.newId();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.status(BuildState.ASSIGNED, BuildState.RUNNING, 1, null);
      build.chunk(1, 1, 150, false);
      build.chunk(1, 151, 300, true);
      build.status(BuildState.RUNNING, BuildState.FAILED, 1, 300L);
      build.flush();
    }
    StreamClient first = StreamClient.connect(base, buildId, "");
    BuildEvents.eventually().until(first::isClosed);
    long seen = 123;

    StreamClient again = StreamClient.connect(base, buildId, "after=" + seen);
    BuildEvents.eventually().until(again::isClosed);

    assertThat(first.seqs()).isEqualTo(range(1, 300));
    assertThat(again.seqs()).isEqualTo(range(seen + 1, 300));
    assertThat(again.messages().getFirst().get("type").asText()).isEqualTo("status");
    assertThat(again.messages().getFirst().get("to").asText()).isEqualTo("FAILED");
    assertThat(again.messages().getLast().get("status").asText()).isEqualTo("FAILED");
  }

  @Test
  void stepsArePlacedByTheirSeq() {
    String buildId = BuildIds.newId();
    StreamClient live;
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.status(BuildState.ASSIGNED, BuildState.RUNNING, 1, null);
      build.stepStarted(1, 1);
      build.chunk(1, 1, 100, false);
      build.flush();
      live = StreamClient.connect(base, buildId, "");
      build.stepStarted(2, 151);
      build.chunk(1, 101, 200, false);
      build.stepFinished(1, 150, false);
      build.chunk(1, 201, 300, true);
      build.stepFinished(2, 300, false);
      build.status(BuildState.RUNNING, BuildState.SUCCEEDED, 1, 300L);
      build.flush();
    }
    // Connect the second client only once everything is stored, so it reads all from the database.
    BuildEvents.eventually()
        .until(
            () ->
                given()
                    .get("/api/v1/builds/{id}/steps", buildId)
                    .jsonPath()
                    .getList("steps.finishedSeq", Long.class)
                    .equals(List.of(150L, 300L)));
    BuildEvents.eventually()
        .until(
            () ->
                given()
                    .get("/api/v1/builds/{id}/logs?after=299", buildId)
                    .jsonPath()
                    .getBoolean("complete"));
    StreamClient replayed = StreamClient.connect(base, buildId, "");
    BuildEvents.eventually().until(() -> live.isClosed() && replayed.isClosed());

    List<String> expected =
        List.of("started 1 @1", "finished 1 @150", "started 2 @151", "finished 2 @300");
    // Read from the database, a step comes right after the line it names.
    assertThat(stepsAfterLines(replayed))
        .containsExactly(
            "1: started 1 @1",
            "150: finished 1 @150",
            "151: started 2 @151",
            "300: finished 2 @300");
    // Live, a step event may reach the service after later lines: it comes late, never early.
    List<String> placed = stepsAfterLines(live);
    assertThat(placed.stream().map(p -> p.substring(p.indexOf(' ') + 1)))
        .containsExactlyInAnyOrderElementsOf(expected);
    for (String step : placed) {
      long lineBefore = Long.parseLong(step.substring(0, step.indexOf(':')));
      long named = Long.parseLong(step.substring(step.indexOf('@') + 1));
      assertThat(lineBefore).as(step).isGreaterThanOrEqualTo(named);
    }
    for (StreamClient client : List.of(live, replayed)) {
      assertThat(client.seqs()).isEqualTo(range(1, 300));
      assertThat(client.messages().getLast().get("type").asText()).isEqualTo("end");
    }
    JsonNode started = replayed.messages("step").getFirst();
    assertThat(started.get("instruction").asText()).isEqualTo("RUN step 1");
    assertThat(started.get("total").asInt()).isEqualTo(3);
    JsonNode finished = replayed.messages("step").get(1);
    assertThat(finished.get("cached").asBoolean()).isFalse();
    assertThat(finished.get("durationMs").asLong()).isEqualTo(12);
  }

  /** Each step message as "seq of the line before it: event step @its seq". */
  private static List<String> stepsAfterLines(StreamClient client) {
    List<String> steps = new ArrayList<>();
    long lastLine = 0;
    for (JsonNode message : client.messages()) {
      switch (message.get("type").asText()) {
        case "log" ->
            lastLine =
                message.get("lines").get(message.get("lines").size() - 1).get("seq").asLong();
        case "step" ->
            steps.add(
                lastLine
                    + ": "
                    + message.get("event").asText()
                    + " "
                    + message.get("step").asInt()
                    + " @"
                    + message.get("seq").asLong());
        default -> {}
      }
    }
    return steps;
  }

  @Test
  void aBuildCancelledWhileQueuedEndsRightAfterItsStatus() {
    String buildId = BuildIds.newId();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.status(null, BuildState.QUEUED, 1, null);
      build.flush();
      StreamClient client = StreamClient.connect(base, buildId, "");
      build.status(BuildState.QUEUED, BuildState.CANCELLED, 1, null);
      build.flush();
      BuildEvents.eventually().until(client::isClosed);

      assertThat(client.messages().getLast().toString())
          .isEqualTo("{\"type\":\"end\",\"status\":\"CANCELLED\"}");
      assertThat(client.messages("status").getLast().get("to").asText()).isEqualTo("CANCELLED");
      assertThat(client.seqs()).isEmpty();
    }
  }

  @Test
  void aRequeuedBuildIsStreamedFromItsNewAttempt() {
    String buildId = BuildIds.newId();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.status(BuildState.ASSIGNED, BuildState.RUNNING, 1, null);
      build.chunk(1, 1, 50, false);
      build.flush();
      StreamClient client = StreamClient.connect(base, buildId, "");
      // The first status may reach the stream only at its next look at the database, when it
      // was consumed live before the client subscribed and stored only after the replay.
      BuildEvents.eventually()
          .until(
              () ->
                  client.seqs().size() == 50
                      && client.messages("status").stream()
                          .anyMatch(m -> m.get("attempt").asInt() == 1));
      build.status(BuildState.RUNNING, BuildState.QUEUED, 2, null);
      build.flush();
      BuildEvents.eventually()
          .until(() -> client.messages("status").getLast().get("attempt").asInt() == 2);
      // The lost worker of attempt 1 still prints; the stream follows attempt 2 now.
      build.chunk(1, 51, 60, false);
      build.status(BuildState.QUEUED, BuildState.ASSIGNED, 2, null);
      build.chunk(2, 1, 20, true);
      build.status(BuildState.ASSIGNED, BuildState.SUCCEEDED, 2, 20L);
      build.flush();
      BuildEvents.eventually().until(client::isClosed);

      List<String> lines =
          client.lines().stream()
              .map(m -> m.get("attempt").asInt() + ":" + m.get("seq").asLong())
              .toList();
      List<String> expected = new ArrayList<>();
      LongStream.rangeClosed(1, 50).forEach(seq -> expected.add("1:" + seq));
      LongStream.rangeClosed(1, 20).forEach(seq -> expected.add("2:" + seq));
      assertThat(lines).isEqualTo(expected);
      assertThat(client.messages("status").stream().map(m -> m.get("attempt").asInt()))
          .containsSubsequence(1, 2);
    }
  }

  @Test
  void aBadAfterClosesTheStreamNamingIt() {
    StreamClient client = StreamClient.connect(base, BuildIds.newId(), "after=soon");
    BuildEvents.eventually().until(client::isClosed);

    assertThat(client.closeReason().getCode()).isEqualTo(1008);
    assertThat(client.closeReason().getMessage()).startsWith("after must be");
  }

  /**
   * Where {@code seqs} first differs from {@code from..to}, told briefly; empty when it does not.
   */
  private static String firstDeviation(List<Long> seqs, long from, long to) {
    for (int i = 0; i < seqs.size(); i++) {
      if (seqs.get(i) != from + i) {
        return "line #"
            + i
            + " has seq "
            + seqs.get(i)
            + " instead of "
            + (from + i)
            + "; "
            + seqs.size()
            + " lines received";
      }
    }
    long expected = to - from + 1;
    return seqs.size() == expected ? "" : seqs.size() + " lines received, not " + expected;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
