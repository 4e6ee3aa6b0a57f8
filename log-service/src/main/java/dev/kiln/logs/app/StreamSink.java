package dev.kiln.logs.app;

import dev.kiln.logs.domain.StreamMessage;
import java.time.Duration;

/** Where a live stream's messages go: one client connection. */
public interface StreamSink {

  /** Sends a message; may return before the client took it. */
  void send(StreamMessage message);

  /**
   * Waits until every message sent so far was taken by the connection.
   *
   * @throws ClientGoneException when the connection closed or did not take them in time
   */
  void flush(Duration timeout);

  /** Closes the connection with a reason, without waiting. */
  void close(StreamClose close);

  /** The client went away or stopped reading. */
  final class ClientGoneException extends RuntimeException {
    public ClientGoneException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
