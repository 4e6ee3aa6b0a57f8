package dev.kiln.cli.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintStream;

/** Every stream message as one line of JSON, for tools. */
final class JsonProgress implements Progress {
  private final PrintStream out;

  JsonProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void message(JsonNode message) {
    out.println(message.toString());
    out.flush();
  }

  @Override
  public void note(String text) {
    out.println(JsonNodeFactory.instance.objectNode().put("type", "note").put("text", text));
  }

  @Override
  public void close() {
    out.flush();
  }
}
