package dev.kiln.cli.progress;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;

/**
 * One line per event, for CI logs: {@code #3 RUN make}, {@code #3 0.412 output}, {@code #3 DONE
 * 1.2s}, in the spirit of {@code docker buildx --progress plain}.
 */
final class PlainProgress implements Progress {
  private final PrintStream out;
  private final Steps steps = new Steps();

  PlainProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void message(JsonNode message) {
    switch (message.path("type").asText()) {
      case "log" -> message.path("lines").forEach(this::line);
      case "step" -> {
        Steps.Step step = steps.apply(message);
        switch (step.state) {
          case RUNNING -> out.println("#" + step.number + " " + step.label);
          case CACHED -> out.println("#" + step.number + " CACHED");
          case DONE -> out.println("#" + step.number + " DONE " + seconds(step.durationMs));
          case FAILED -> out.println("#" + step.number + " ERROR " + seconds(step.durationMs));
        }
      }
      case "status" -> out.println("# " + Status.describe(message));
      default -> {}
    }
    out.flush();
  }

  private void line(JsonNode line) {
    if (Steps.isStepHeader(line.path("text").asText())) {
      return;
    }
    int number = line.path("step").asInt(0);
    Steps.Step step = steps.get(number);
    String elapsed =
        step == null ? "" : String.format(Locale.ROOT, "%.3f ", step.elapsedMs() / 1000.0);
    out.println("#" + number + " " + elapsed + line.path("text").asText());
  }

  @Override
  public void note(String text) {
    out.println("# " + text);
  }

  @Override
  public void close() {
    out.flush();
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
