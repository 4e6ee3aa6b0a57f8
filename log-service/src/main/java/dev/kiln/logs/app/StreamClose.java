package dev.kiln.logs.app;

/**
 * Why the server closes a live stream, as a WebSocket close code and reason.
 *
 * @param code the close code
 * @param reason a short text for the client (at most 123 bytes on the wire)
 */
public record StreamClose(int code, String reason) {

  /** The build ended and everything was sent. */
  public static StreamClose ended() {
    return new StreamClose(1000, "build ended");
  }

  /** The client fell behind; it may resume where it stopped. */
  public static StreamClose tooSlow(int attempt, long lastSeq) {
    return new StreamClose(
        1013, "client too slow; resume with attempt=" + attempt + "&after=" + lastSeq);
  }

  /** Nothing became known about the build while the stream waited. */
  public static StreamClose unknownBuild() {
    return new StreamClose(4404, "unknown build");
  }

  /** A query parameter was wrong. */
  public static StreamClose badRequest(String message) {
    return new StreamClose(1008, message);
  }

  /** The log database failed. */
  public static StreamClose unavailable() {
    return new StreamClose(1011, "log database unavailable; reconnect later");
  }
}
