package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** The last words of {@code kiln build}: the image made, or why there is none. */
final class BuildReport {
  private BuildReport() {}

  static void print(JsonNode build, PrintStream out) {
    String id = build.path("id").asText();
    String status = build.path("status").asText();
    if (status.equals("SUCCEEDED")) {
      JsonNode image = build.path("image");
      out.println("Successfully built " + id + ": " + image.path("digest").asText());
      for (JsonNode ref : image.path("pushedRefs")) {
        out.println("Pushed " + ref.asText());
      }
      if (image.path("archived").asBoolean()) {
        out.println("Image archive: kiln status " + id + " (GET /api/v1/builds/" + id + "/image)");
      }
      return;
    }
    JsonNode error = build.path("error");
    StringBuilder headline = new StringBuilder("ERROR: build " + id + " " + status);
    if (error.hasNonNull("step")) {
      headline.append(" at step ").append(error.get("step").asInt());
    }
    if (error.hasNonNull("line")) {
      headline.append(" (Dockerfile line ").append(error.get("line").asInt()).append(')');
    }
    if (error.hasNonNull("category") && !error.get("category").asText().equals(status)) {
      headline.append(": ").append(error.get("category").asText());
    }
    out.println(headline);
    if (error.hasNonNull("instruction")) {
      out.println("  " + error.get("instruction").asText());
    }
    if (error.hasNonNull("message")) {
      String exit =
          error.hasNonNull("exitCode") ? "exit code " + error.get("exitCode").asInt() + ": " : "";
      out.println("  " + exit + error.get("message").asText());
    }
    if (error.hasNonNull("suggestion")) {
      out.println("  suggestion: " + error.get("suggestion").asText());
    }
  }
}
