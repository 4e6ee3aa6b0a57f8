package dev.kiln.cli.progress;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Words for a {@code status} message. */
final class Status {
  /** Reasons that only repeat the move itself. */
  private static final Set<String> ROUTINE = Set.of("SUBMITTED", "ASSIGNED", "STARTED");

  private Status() {}

  static String describe(JsonNode message) {
    StringBuilder text = new StringBuilder(message.path("to").asText());
    if (message.hasNonNull("workerId")) {
      text.append(" on ").append(message.get("workerId").asText());
    }
    int attempt = message.path("attempt").asInt(1);
    if (attempt > 1) {
      text.append(" (attempt ").append(attempt).append(')');
    }
    String reason = message.path("reason").asText("");
    if (!reason.isEmpty()
        && !ROUTINE.contains(reason)
        && !reason.equals(message.path("to").asText())) {
      text.append(": ").append(reason);
    }
    return text.toString();
  }
}
