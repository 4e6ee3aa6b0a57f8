package dev.kiln.gateway.adapter.ws;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.kiln.contracts.BuildIds;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
@WithTestResource(LogServiceStandIn.class)
class LogRelayTest {
  @TestHTTPResource("/")
  URI gateway;

  @Test
  void logPageIsRelayedWithItsQueryAndType() {
    String id = BuildIds.newId();

    given()
        .get("/api/v1/builds/" + id + "/logs?after=40&limit=2")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("lines[0].seq", equalTo(41))
        .body("next", equalTo(42));
  }

  @Test
  void aLogServiceThatIsDownIsPassedOverForTheOneThatIsUp() throws Exception {
    for (int i = 0; i < 4; i++) {
      given()
          .get("/api/v1/builds/" + BuildIds.newId() + "/logs?after=0&limit=2")
          .then()
          .statusCode(200)
          .body("next", equalTo(2));
    }
    for (int i = 0; i < 4; i++) {
      Stream stream = Stream.open(streamUri(BuildIds.newId(), 0));
      await().atMost(Duration.ofSeconds(30)).until(() -> stream.messages.size() >= 3);
      stream.socket.sendClose(1000, "done").get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void manyStreamsAreRelayedAtOnce() throws Exception {
    List<Stream> streams = new java.util.ArrayList<>();
    for (int i = 0; i < 120; i++) {
      streams.add(Stream.open(streamUri(BuildIds.newId(), 0)));
    }
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> streams.stream().allMatch(stream -> stream.messages.size() >= 3));
    } finally {
      for (Stream stream : streams) {
        stream.socket.sendClose(1000, "done");
      }
    }
  }

  @Test
  void wholeLogAsTextIsRelayedLineByLine() {
    String expected =
        IntStream.rangeClosed(1, LogServiceStandIn.LINES)
            .mapToObj(seq -> "line " + seq + "\n")
            .collect(Collectors.joining());

    String log =
        given()
            .accept("text/plain")
            .get("/api/v1/builds/" + BuildIds.newId() + "/logs")
            .then()
            .statusCode(200)
            .contentType("text/plain")
            .extract()
            .asString();

    assertThat(log).isEqualTo(expected);
  }

  @Test
  void errorsOfLogServiceArePassedOnAsTheyAre() {
    given()
        .get("/api/v1/builds/" + BuildIds.newId() + "/steps")
        .then()
        .statusCode(404)
        .body("message", equalTo("no steps"));
  }

  @Test
  void unreachableLogServiceIsA503ForHistoryAndACloseForTheStream() throws Exception {
    LogServiceStandIn.stopServer();
    try {
      given()
          .get("/api/v1/builds/" + BuildIds.newId() + "/logs")
          .then()
          .statusCode(503)
          .contentType(ContentType.JSON)
          .body("error", equalTo("unavailable"));

      Stream stream = Stream.open(streamUri(BuildIds.newId(), 0));
      assertThat(stream.closed.get(30, TimeUnit.SECONDS)).isEqualTo("1011 log-service unavailable");
    } finally {
      LogServiceStandIn.startServer();
    }
  }

  @Test
  void streamIsRelayedInBothDirectionsAndItsCloseReachesTheClient() throws Exception {
    Stream stream = Stream.open(streamUri(BuildIds.newId(), 7));

    await().atMost(Duration.ofSeconds(30)).until(() -> stream.messages.size() >= 3);
    stream.socket.sendText("hello log-service", true).get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.messages.size() >= 4);
    stream.socket.sendText("close please", true).get(30, TimeUnit.SECONDS);

    assertThat(stream.closed.get(30, TimeUnit.SECONDS)).isEqualTo("4000 asked to close");
    assertThat(stream.messages)
        .containsExactly(
            "{\"type\":\"log\",\"seq\":8}",
            "{\"type\":\"log\",\"seq\":9}",
            "{\"type\":\"log\",\"seq\":10}",
            "{\"type\":\"echo\",\"text\":\"hello log-service\"}");
  }

  @Test
  void clientCloseReachesLogServiceWithItsCodeAndReason() throws Exception {
    Stream stream = Stream.open(streamUri(BuildIds.newId(), 0));
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.messages.size() >= 3);

    stream.socket.sendClose(4001, "client leaving").get(30, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "4001 client leaving".equals(LogServiceStandIn.lastClose));
  }

  @Test
  void streamRefusedByLogServiceClosesWithItsStatus() throws Exception {
    Stream stream = Stream.open(streamUri(LogServiceStandIn.UNKNOWN_BUILD, 0));

    assertThat(stream.closed.get(30, TimeUnit.SECONDS))
        .isEqualTo("4404 log-service refused the stream with HTTP 404");
  }

  @Test
  void streamOfAMalformedBuildIdIsA404() {
    given()
        .get("/api/v1/builds/not-a-build/logs/stream")
        .then()
        .statusCode(404)
        .body("error", equalTo("not_found"));
  }

  private URI streamUri(String id, long after) {
    return URI.create(
        "ws://"
            + gateway.getHost()
            + ":"
            + gateway.getPort()
            + "/api/v1/builds/"
            + id
            + "/logs/stream?after="
            + after);
  }

  /** A client of the live stream that keeps every message and how the stream closed. */
  private static final class Stream implements WebSocket.Listener {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    static Stream open(URI uri) throws Exception {
      Stream stream = new Stream();
      stream.socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(uri, stream)
              .get(30, TimeUnit.SECONDS);
      return stream;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
