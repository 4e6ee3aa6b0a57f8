package dev.kiln.cli.progress;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A view that redraws itself in place, like {@code docker buildx}: a header with the build's state,
 * a line per step with its state, cache hit and duration, and the last lines of the log.
 */
final class TtyProgress implements Progress {
  private static final int TAIL = 6;
  private static final String CLEAR_LINE = "\033[2K";

  private final PrintStream out;
  private final int columns;
  private final Steps steps = new Steps();
  private final Deque<String> tail = new ArrayDeque<>();
  private final List<String> notes = new ArrayList<>();
  private final long started = System.nanoTime();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> Thread.ofPlatform().daemon().name("progress").unstarted(runnable));
  private String status = "QUEUED";
  private int drawn;
  private boolean dirty = true;
  private boolean paused;

  TtyProgress(PrintStream out, int columns) {
    this.out = out;
    this.columns = Math.max(40, columns);
    ticker.scheduleAtFixedRate(this::redraw, 0, 100, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void message(JsonNode message) {
    switch (message.path("type").asText()) {
      case "log" -> {
        for (JsonNode line : message.path("lines")) {
          if (!Steps.isStepHeader(line.path("text").asText())) {
            tail.addLast(line.path("text").asText());
          }
        }
        while (tail.size() > TAIL) {
          tail.removeFirst();
        }
      }
      case "step" -> {
        Steps.Step step = steps.apply(message);
        if (step.state == Steps.State.RUNNING) {
          tail.clear();
        }
      }
      case "status" -> status = Status.describe(message);
      case "end" -> status = message.path("status").asText();
      default -> {}
    }
    dirty = true;
  }

  @Override
  public synchronized void note(String text) {
    notes.add(text);
    dirty = true;
  }

  @Override
  public synchronized void pause() {
    paused = true;
  }

  @Override
  public synchronized void resume() {
    paused = false;
    drawn = 0;
    dirty = true;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    synchronized (this) {
      tail.clear();
      dirty = true;
      redraw();
    }
  }

  private synchronized void redraw() {
    if (paused) {
      return;
    }
    if (!dirty && steps.all().stream().noneMatch(step -> step.state == Steps.State.RUNNING)) {
      return;
    }
    dirty = false;
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "[+] Building %.1fs (%d/%d) %s",
            (System.nanoTime() - started) / 1e9,
            steps.finished(),
            steps.all().size(),
            status));
    for (Steps.Step step : steps.all()) {
      String state =
          switch (step.state) {
            case CACHED -> "CACHED ";
            case FAILED -> "ERROR ";
            default -> "";
          };
      String time = String.format(Locale.ROOT, "%.1fs", step.elapsedMs() / 1000.0);
      lines.add(pad(" => " + state + step.label, time));
    }
    for (String line : tail) {
      lines.add(fit(" => => " + line));
    }
    notes.forEach(note -> lines.add(fit(" ! " + note)));
    StringBuilder frame = new StringBuilder();
    if (drawn > 0) {
      frame.append("\033[").append(drawn).append('A');
    }
    for (String line : lines) {
      frame.append('\r').append(CLEAR_LINE).append(line).append('\n');
    }
    for (int extra = lines.size(); extra < drawn; extra++) {
      frame.append(CLEAR_LINE).append('\n');
    }
    out.print(frame);
    out.flush();
    drawn = Math.max(drawn, lines.size());
  }

  private String pad(String left, String right) {
    int room = columns - right.length() - 1;
    String shown = left.length() > room ? left.substring(0, Math.max(0, room - 1)) + "…" : left;
    return shown + " ".repeat(Math.max(1, columns - shown.length() - right.length())) + right;
  }

  private String fit(String line) {
    String clean = line.replaceAll("\\p{Cntrl}\\[[0-9;]*[A-Za-z]", "").replace('\t', ' ');
    return clean.length() > columns ? clean.substring(0, columns - 1) + "…" : clean;
  }
}
