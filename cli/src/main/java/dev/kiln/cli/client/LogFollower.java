package dev.kiln.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Follows a build's live log stream to its {@code end}, reconnecting with the last seq it saw
 * whenever the connection drops, so no line is lost and none repeats.
 */
public final class LogFollower {
  private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

  /** What the follower tells its caller besides the stream's own messages. */
  public interface Listener {
    /**
     * A message of the stream: log, step, status or end. A {@code log} message holds only lines not
     * given before.
     */
    void message(JsonNode message);

    /** The connection dropped; the follower tries again after {@code pause}. */
    default void reconnecting(String why, Duration pause) {}
  }

  private final KilnClient client;
  private final String buildId;
  private final Listener listener;
  private long lastSeq;
  private int attempt;

  public LogFollower(KilnClient client, String buildId, long after, Listener listener) {
    this.client = client;
    this.buildId = buildId;
    this.lastSeq = after;
    this.listener = listener;
  }

  /**
   * Follows until the stream ends.
   *
   * @return the build's final status, as the {@code end} message names it
   * @throws ApiException when the server refuses the stream (unknown build, no rights)
   */
  public String follow() throws InterruptedException {
    Duration pause = Duration.ofMillis(250);
    while (true) {
      Connection connection = new Connection();
      try {
        client
            .http()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(uri(), connection)
            .join();
        String status = connection.ended.join();
        if (status != null) {
          return status;
        }
        pause = Duration.ofMillis(250);
        listener.reconnecting(connection.closeReason, pause);
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof WebSocketHandshakeException handshake) {
          int code = handshake.getResponse().statusCode();
          if (code == 401 || code == 403 || code == 404) {
            throw refusal(code);
          }
        }
        listener.reconnecting(describe(cause), pause);
      }
      Thread.sleep(pause);
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    }
  }

  private URI uri() {
    String query = "?after=" + lastSeq + (attempt > 0 ? "&attempt=" + attempt : "");
    return client.webSocket("/api/v1/builds/" + buildId + "/logs/stream" + query);
  }

  private ApiException refusal(int code) {
    return switch (code) {
      case 401 -> new ApiException(401, "unauthorized", "the server refused the token", null);
      case 404 -> new ApiException(404, "not_found", "no build with id '" + buildId + "'", null);
      default -> new ApiException(code, "forbidden", "the server refused the log stream", null);
    };
  }

  private static String describe(Throwable cause) {
    return cause instanceof IOException || cause == null
        ? "the connection failed"
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /** One WebSocket connection; {@code ended} completes with the status, or null when it dropped. */
  private final class Connection implements WebSocket.Listener {
    final CompletableFuture<String> ended = new CompletableFuture<>();
    final StringBuilder partial = new StringBuilder();
    String closeReason = "the connection closed";

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        handle(partial.toString());
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    private void handle(String text) {
      JsonNode message;
      try {
        message = KilnClient.JSON.readTree(text);
      } catch (IOException e) {
        return;
      }
      String type = message.path("type").asText();
      if (type.equals("log")) {
        message = unseenLines(message);
        if (message == null) {
          return;
        }
      } else if (type.equals("status") && message.path("attempt").asInt(0) > attempt) {
        attempt = message.path("attempt").asInt();
        lastSeq = 0;
      }
      listener.message(message);
      if (type.equals("end")) {
        ended.complete(message.path("status").asText());
      }
    }

    /**
     * The lines of a {@code log} message not seen before, as a message of its own; {@code null}
     * when it held none.
     */
    private JsonNode unseenLines(JsonNode message) {
      int linesAttempt = message.path("attempt").asInt(attempt);
      if (linesAttempt != attempt) {
        attempt = linesAttempt;
        lastSeq = 0;
      }
      ArrayNode unseen = KilnClient.JSON.createArrayNode();
      for (JsonNode line : message.path("lines")) {
        if (line.path("seq").asLong() > lastSeq) {
          unseen.add(line);
          lastSeq = line.path("seq").asLong();
        }
      }
      if (unseen.isEmpty()) {
        return null;
      }
      return unseen.size() == message.path("lines").size()
          ? message
          : ((ObjectNode) message.deepCopy()).set("lines", unseen);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      closeReason =
          "the stream closed (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")";
      ended.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      closeReason = describe(error);
      ended.complete(null);
    }
  }
}
