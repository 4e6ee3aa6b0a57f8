package dev.kiln.logs.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepSummaryTest {

  @Test
  void startsAndFinishesMergeIntoOneStepEach() {
    List<StepSummary> steps =
        StepSummary.merge(
            List.of(
                started(2, 5),
                finished(1, 4, false, true),
                started(1, 1),
                finished(2, 9, true, false),
                started(3, 10)));

    assertThat(steps)
        .extracting(
            StepSummary::step,
            StepSummary::state,
            StepSummary::startedSeq,
            StepSummary::finishedSeq)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, StepSummary.State.DONE, 1L, 4L),
            org.assertj.core.groups.Tuple.tuple(2, StepSummary.State.FAILED, 5L, 9L),
            org.assertj.core.groups.Tuple.tuple(3, StepSummary.State.RUNNING, 10L, null));
    assertThat(steps.getFirst().cached()).isTrue();
    assertThat(steps.getFirst().durationMs()).isEqualTo(7L);
    assertThat(steps.getLast().cached()).isNull();
  }

  @Test
  void aFinishWhoseStartWasNeverSeenStillShowsTheStep() {
    List<StepSummary> steps = StepSummary.merge(List.of(finished(4, 12, false, false)));

    assertThat(steps.getFirst().instruction()).isEqualTo("RUN 4");
    assertThat(steps.getFirst().startedSeq()).isNull();
    assertThat(steps.getFirst().state()).isEqualTo(StepSummary.State.DONE);
  }

  private static StepEvent started(int step, long seq) {
    return new StepEvent(
        StepEvent.Kind.STARTED,
        1,
        step,
        1,
        1,
        step,
        4,
        "RUN " + step,
        step,
        null,
        null,
        null,
        null,
        seq);
  }

  private static StepEvent finished(int step, long seq, boolean failed, boolean cached) {
    return new StepEvent(
        StepEvent.Kind.FINISHED,
        1,
        step,
        1,
        1,
        step,
        4,
        "RUN " + step,
        step,
        cached,
        failed,
        7L,
        null,
        seq);
  }
}
