package dev.kiln.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A client of a build's live log stream that keeps every message it receives. */
final class LogStream implements WebSocket.Listener {
  private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();

  static LogStream open(KilnApi api, String buildId, long after) {
    LogStream stream = new LogStream();
    URI uri =
        URI.create(
            api.baseUrl().replaceFirst("^http", "ws")
                + "/api/v1/builds/"
                + buildId
                + "/logs/stream?after="
                + after
                + "&access_token="
                + api.token());
    HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, stream).join();
    return stream;
  }

  @Override
  public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        messages.add(KilnApi.JSON.readTree(partial.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      partial.setLength(0);
    }
    socket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
    closed.complete(null);
    return null;
  }

  @Override
  public void onError(WebSocket socket, Throwable error) {
    closed.completeExceptionally(error);
  }

  /** The messages received so far. */
  List<JsonNode> received() {
    return List.copyOf(messages);
  }

  /**
   * Waits until the connection ended, closed by the server or broken, and returns everything it
   * brought.
   */
  List<JsonNode> awaitDisconnect(Duration timeout) throws Exception {
    try {
      closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException broken) {
      // A broken connection ends the stream as well; the client reconnects either way.
    }
    return List.copyOf(messages);
  }

  /** The log lines {@code messages} carry, in the order they came. */
  static List<JsonNode> lines(List<JsonNode> messages) {
    List<JsonNode> lines = new ArrayList<>();
    for (JsonNode message : messages) {
      if (message.path("type").asText().equals("log")) {
        message.path("lines").forEach(lines::add);
      }
    }
    return lines;
  }

  /** Waits until the server closed the stream, and returns everything it sent. */
  List<JsonNode> awaitClose(Duration timeout) throws Exception {
    closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return List.copyOf(messages);
  }
}
