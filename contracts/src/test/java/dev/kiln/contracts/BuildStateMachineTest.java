package dev.kiln.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BuildStateMachineTest {

  @Test
  void happyPathRunsFromQueuedToSucceeded() {
    BuildState state = BuildState.QUEUED;
    state = BuildStateMachine.move("b1", state, BuildState.ASSIGNED);
    state = BuildStateMachine.move("b1", state, BuildState.RUNNING);
    state = BuildStateMachine.move("b1", state, BuildState.SUCCEEDED);
    assertThat(state.isTerminal()).isTrue();
  }

  @Test
  void lostWorkerRequeuesFromAssignedAndRunning() {
    assertThat(BuildStateMachine.canMove(BuildState.ASSIGNED, BuildState.QUEUED)).isTrue();
    assertThat(BuildStateMachine.canMove(BuildState.RUNNING, BuildState.QUEUED)).isTrue();
  }

  @Test
  void terminalStatesAreExactlyTheFinalOutcomes() {
    EnumSet<BuildState> terminal = EnumSet.noneOf(BuildState.class);
    for (BuildState state : BuildState.values()) {
      if (state.isTerminal()) {
        terminal.add(state);
      }
    }
    assertThat(terminal)
        .containsExactlyInAnyOrder(
            BuildState.SUCCEEDED,
            BuildState.FAILED,
            BuildState.CANCELLED,
            BuildState.TIMED_OUT,
            BuildState.EXPIRED,
            BuildState.ERROR);
  }

  @ParameterizedTest
  @EnumSource(
      value = BuildState.class,
      names = {"SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "EXPIRED", "ERROR"})
  void nothingLeavesATerminalState(BuildState terminal) {
    for (BuildState to : BuildState.values()) {
      assertThat(BuildStateMachine.canMove(terminal, to)).isFalse();
    }
  }

  @Test
  void queuedBuildCannotSucceedWithoutRunning() {
    assertThatThrownBy(
            () -> BuildStateMachine.move("build-42", BuildState.QUEUED, BuildState.SUCCEEDED))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("build-42")
        .hasMessageContaining("QUEUED")
        .hasMessageContaining("SUCCEEDED");
  }

  @Test
  void onlyARunningBuildCanSucceed() {
    for (BuildState from : BuildState.values()) {
      assertThat(BuildStateMachine.canMove(from, BuildState.SUCCEEDED))
          .as("%s -> SUCCEEDED", from)
          .isEqualTo(from == BuildState.RUNNING);
    }
  }

  @Test
  void onlyAQueuedBuildCanExpire() {
    for (BuildState from : BuildState.values()) {
      assertThat(BuildStateMachine.canMove(from, BuildState.EXPIRED))
          .as("%s -> EXPIRED", from)
          .isEqualTo(from == BuildState.QUEUED);
    }
  }
}
