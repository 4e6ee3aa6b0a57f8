package dev.kiln.gateway.adapter.ws;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.gateway.KafkaProbe;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
@WithTestResource(LogServiceStandIn.class)
class BuildStatusFeedTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URI gateway;

  @Test
  void everyStatusChangeReachesEveryClientInOrder() throws Exception {
    Feed first = Feed.open(feedUri());
    Feed second = Feed.open(feedUri());
    String build = BuildIds.newId();
    String other = BuildIds.newId();

    KafkaProbe.publish(build, change(null, BuildState.QUEUED, null));
    KafkaProbe.publish(other, change(null, BuildState.QUEUED, null));
    KafkaProbe.publish(build, change(BuildState.QUEUED, BuildState.ASSIGNED, "build-worker-1"));
    KafkaProbe.publish(build, change(BuildState.ASSIGNED, BuildState.RUNNING, "build-worker-1"));

    for (Feed feed : List.of(first, second)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> feed.about(build).size() == 3);
      assertThat(feed.about(build).stream().map(m -> m.get("to").asText()))
          .containsExactly("QUEUED", "ASSIGNED", "RUNNING");
      await().atMost(Duration.ofSeconds(30)).until(() -> feed.about(other).size() == 1);
    }
    JsonNode running = first.about(build).get(2);
    assertThat(running.get("type").asText()).isEqualTo("status");
    assertThat(running.get("from").asText()).isEqualTo("ASSIGNED");
    assertThat(running.get("attempt").asInt()).isEqualTo(1);
    assertThat(running.get("workerId").asText()).isEqualTo("build-worker-1");
    assertThat(running.get("at").asText()).endsWith("Z");
    assertThat(first.about(build).getFirst().has("from")).isFalse();
  }

  @Test
  void clientsArePingedToKeepTheStreamOpen() throws Exception {
    Feed feed = Feed.open(feedUri());

    await().atMost(Duration.ofSeconds(30)).until(() -> feed.pings.get() >= 2);
  }

  @Test
  void aClientThatAnswersNoPingIsDisconnected() throws Exception {
    try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/v1/builds/stream HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.setSoTimeout(30_000);
      InputStream in = socket.getInputStream();
      // Reads pings and never answers them, until the server ends the connection.
      boolean closeFrameSeen = false;
      byte[] chunk = new byte[4096];
      int read;
      while ((read = in.read(chunk)) >= 0) {
        for (int i = 0; i < read - 1; i++) {
          // A close frame: FIN + opcode 8, unmasked, with its code 1001 as the payload's start.
          if ((chunk[i] & 0xff) == 0x88 && i + 3 < read && (chunk[i + 2] & 0xff) == 0x03) {
            closeFrameSeen |= (chunk[i + 3] & 0xff) == 0xe9;
          }
        }
        if (closeFrameSeen) {
          break;
        }
      }
      assertThat(closeFrameSeen).as("a close frame with 1001").isTrue();
    } catch (IOException e) {
      throw new AssertionError("the server should close with 1001, not fail: " + e, e);
    }
  }

  @Test
  void theFeedWithoutAnUpgradeIsRefusedNamingIt() {
    given()
        .get("/api/v1/builds/stream")
        .then()
        .statusCode(426)
        .body("error", equalTo("upgrade_required"));
  }

  private static BuildStatusChanged change(BuildState from, BuildState to, String workerId) {
    return new BuildStatusChanged(from, to, 1, null, workerId, null, null, null);
  }

  private URI feedUri() {
    return URI.create(
        "ws://" + gateway.getHost() + ":" + gateway.getPort() + "/api/v1/builds/stream");
  }

  /** A client of the status feed that keeps every message and counts the pings. */
  private static final class Feed implements WebSocket.Listener {
    final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    final AtomicInteger pings = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();

    static Feed open(URI uri) throws Exception {
      Feed feed = new Feed();
      HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .buildAsync(uri, feed)
          .get(30, TimeUnit.SECONDS);
      return feed;
    }

    List<JsonNode> about(String buildId) {
      return messages.stream().filter(m -> m.get("buildId").asText().equals(buildId)).toList();
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket socket, ByteBuffer message) {
      pings.incrementAndGet();
      socket.request(1);
      return null;
    }
  }
}
