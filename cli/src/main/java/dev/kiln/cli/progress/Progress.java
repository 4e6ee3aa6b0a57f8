package dev.kiln.cli.progress;

import com.fasterxml.jackson.databind.JsonNode;

/** Shows a build as its stream messages arrive. */
public interface Progress extends AutoCloseable {
  /** One message of the live stream: log, step, status or end. */
  void message(JsonNode message);

  /** A note from the CLI itself, such as a reconnect. */
  void note(String text);

  /** Stops drawing while the CLI asks the person a question below the view. */
  default void pause() {}

  /** Draws again, below whatever was printed while paused. */
  default void resume() {}

  /** Draws the final state; called once, after the stream ended. */
  @Override
  void close();

  /** The view for a {@code --progress} value on this terminal. */
  static Progress of(String mode, java.io.PrintStream out, boolean terminal, int columns) {
    return switch (mode) {
      case "plain" -> new PlainProgress(out);
      case "json" -> new JsonProgress(out);
      case "auto" -> terminal ? new TtyProgress(out, columns) : new PlainProgress(out);
      default -> throw new IllegalArgumentException("--progress must be auto, plain or json");
    };
  }
}
