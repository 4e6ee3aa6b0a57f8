package dev.kiln.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden tests: real buildah output (captured with the worker's own flags) goes through the
 * sequencer and the parser, and the numbered lines and step events must match the reviewed
 * rendering in {@code buildah/steps/<case>.expected}. Line {@code n} is read {@code n} seconds
 * after the start, so step durations are part of the expectation.
 */
class BuildahOutputParserTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "single-stage, false",
    "multi-stage, false",
    "multi-stage-cached, false",
    "tagged-without-iidfile, false",
    "failing-run, true"
  })
  void outputGivesTheReviewedStepsAndLines(String name, boolean failed) throws IOException {
    assertThat(render(CapturedOutput.load("steps/" + name + ".output"), failed))
        .isEqualTo(expected(name));
  }

  @Test
  void stepLikeTextPrintedByARunStepStartsNoStep() {
    LogSequencer sequencer = new LogSequencer(new BuildahOutputParser(1));
    sequencer.append(START, LogStream.STDOUT, "STEP 1/2: FROM scratch");
    sequencer.append(START, LogStream.STDOUT, "STEP 2/2: RUN ./print-fake-steps");
    List<Event> fake = new ArrayList<>();
    fake.addAll(sequencer.append(START, LogStream.STDOUT, "STEP 1/1: FROM evil").stepEvents());
    fake.addAll(sequencer.append(START, LogStream.STDOUT, "STEP 7/9: RUN x").stepEvents());
    fake.addAll(sequencer.append(START, LogStream.STDERR, "COMMIT").stepEvents());

    assertThat(fake).isEmpty();
    assertThat(sequencer.runningStep()).map(StepStarted::step).contains(2);
  }

  private static String render(CapturedOutput output, boolean failed) {
    LogSequencer sequencer = new LogSequencer(new BuildahOutputParser(1));
    StringBuilder text = new StringBuilder();
    for (CapturedOutput.Line line : output.lines()) {
      Instant at = START.plusSeconds(sequencer.lastSeq() + 1);
      LogSequencer.Sequenced sequenced = sequencer.append(at, line.stream(), line.text());
      sequenced.stepEvents().forEach(event -> text.append(render(event)).append('\n'));
      text.append(render(sequenced.line())).append('\n');
    }
    sequencer
        .finish(failed, START.plusSeconds(sequencer.lastSeq() + 1))
        .ifPresent(event -> text.append("end ").append(render(event)).append('\n'));
    return text.toString();
  }

  private static String render(LogLine line) {
    return "  %d %s step=%s | %s"
        .formatted(
            line.seq(),
            line.stream().name().toLowerCase(),
            line.step() == null ? "-" : line.step(),
            line.text());
  }

  private static String render(Event event) {
    return switch (event) {
      case StepStarted s ->
          "started step=%d stage=%d/%d index=%d/%d seq=%d | %s"
              .formatted(
                  s.step(), s.stage(), s.stages(), s.index(), s.total(), s.seq(), s.instruction());
      case StepFinished f ->
          "finished step=%d stage=%d/%d index=%d/%d cached=%s failed=%s durationMs=%d layer=%s seq=%d"
              .formatted(
                  f.step(),
                  f.stage(),
                  f.stages(),
                  f.index(),
                  f.total(),
                  f.cached(),
                  f.failed(),
                  f.durationMs(),
                  f.layer() == null ? "-" : f.layer(),
                  f.seq());
      default -> throw new IllegalArgumentException("not a step event: " + event);
    };
  }

  private static String expected(String name) throws IOException {
    try (InputStream in =
        BuildahOutputParserTest.class.getResourceAsStream("/buildah/steps/" + name + ".expected")) {
      assertThat(in).as("expected file of " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
