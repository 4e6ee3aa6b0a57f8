package dev.kiln.logs.adapter.ws;

import dev.kiln.logs.adapter.RequestNumbers;
import dev.kiln.logs.app.BuildLogStream;
import dev.kiln.logs.app.LogStreams;
import dev.kiln.logs.app.StreamClose;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The live log stream of a build: {@code ?after=SEQ} resumes after the last line a client saw, and
 * the optional {@code attempt=N} names the attempt that seq belongs to.
 */
@WebSocket(path = "/api/v1/builds/{id}/logs/stream")
public class LogStreamSocket {
  private static final UserData.TypedKey<BuildLogStream> STREAM =
      new UserData.TypedKey<>("build-log-stream");

  private final LogStreams streams;
  private final StreamMessageJson json;

  LogStreamSocket(LogStreams streams, StreamMessageJson json) {
    this.streams = streams;
    this.json = json;
  }

  @OnOpen
  public void open(WebSocketConnection connection) {
    WebSocketSink sink = new WebSocketSink(connection, json);
    Map<String, String> query = query(connection.handshakeRequest().query());
    long after;
    Long attempt;
    try {
      after = RequestNumbers.read("after", query.get("after"), 0L, 0, Long.MAX_VALUE);
      attempt = RequestNumbers.read("attempt", query.get("attempt"), null, 0, Integer.MAX_VALUE);
    } catch (RequestNumbers.BadNumberException e) {
      sink.close(StreamClose.badRequest(e.getMessage()));
      return;
    }
    BuildLogStream stream =
        streams.open(
            connection.pathParam("id"), after, attempt == null ? null : attempt.intValue(), sink);
    connection.userData().put(STREAM, stream);
  }

  @OnClose
  public void close(WebSocketConnection connection) {
    BuildLogStream stream = connection.userData().get(STREAM);
    if (stream != null) {
      stream.stop();
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> parameters = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }
}
