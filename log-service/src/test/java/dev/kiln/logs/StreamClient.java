package dev.kiln.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A client of the live log stream that keeps every message it received, in order. */
final class StreamClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

  private StreamClient() {}

  /** Connects to {@code base} (the service's root) for a build, with the given query. */
  static StreamClient connect(URI base, String buildId, String query) {
    StreamClient client = new StreamClient();
    BasicWebSocketConnector.create()
        .baseUri(base.resolve("/?" + query))
        .path("/api/v1/builds/" + buildId + "/logs/stream")
        // On the event loop, so messages are kept in the order they arrived.
        .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
        .onTextMessage((connection, message) -> client.received.add(message))
        .onClose((connection, reason) -> client.closed.complete(reason))
        .connectAndAwait();
    return client;
  }

  boolean isClosed() {
    return closed.isDone();
  }

  CloseReason closeReason() {
    return closed.join();
  }

  List<JsonNode> messages() {
    List<JsonNode> messages = new ArrayList<>();
    for (String text : received) {
      try {
        messages.add(JSON.readTree(text));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return messages;
  }

  List<JsonNode> messages(String type) {
    return messages().stream().filter(m -> m.path("type").asText().equals(type)).toList();
  }

  /** The log lines received, in the order received, each with its message's attempt. */
  List<JsonNode> lines() {
    List<JsonNode> lines = new ArrayList<>();
    for (JsonNode message : messages("log")) {
      for (JsonNode line : message.get("lines")) {
        lines.add(((ObjectNode) line.deepCopy()).put("attempt", message.get("attempt").asInt()));
      }
    }
    return lines;
  }

  /** The seqs of the log lines received, in the order received. */
  List<Long> seqs() {
    return lines().stream().map(m -> m.get("seq").asLong()).toList();
  }
}
