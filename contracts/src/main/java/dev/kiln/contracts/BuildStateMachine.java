package dev.kiln.contracts;

import static dev.kiln.contracts.BuildState.ASSIGNED;
import static dev.kiln.contracts.BuildState.CANCELLED;
import static dev.kiln.contracts.BuildState.ERROR;
import static dev.kiln.contracts.BuildState.EXPIRED;
import static dev.kiln.contracts.BuildState.FAILED;
import static dev.kiln.contracts.BuildState.QUEUED;
import static dev.kiln.contracts.BuildState.RUNNING;
import static dev.kiln.contracts.BuildState.SUCCEEDED;
import static dev.kiln.contracts.BuildState.TIMED_OUT;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal moves of a build, as one table. {@code ASSIGNED/RUNNING → QUEUED} is a requeue (the
 * next attempt) after a worker was lost; every state without outgoing moves is terminal.
 */
public final class BuildStateMachine {
  private static final Map<BuildState, Set<BuildState>> MOVES = new EnumMap<>(BuildState.class);

  static {
    MOVES.put(QUEUED, EnumSet.of(ASSIGNED, CANCELLED, EXPIRED, ERROR));
    MOVES.put(ASSIGNED, EnumSet.of(RUNNING, QUEUED, FAILED, CANCELLED, TIMED_OUT, ERROR));
    MOVES.put(RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, ERROR, QUEUED));
    for (BuildState state : BuildState.values()) {
      MOVES.putIfAbsent(state, EnumSet.noneOf(BuildState.class));
    }
  }

  private BuildStateMachine() {}

  /** The states a build may move to from {@code from}. */
  public static Set<BuildState> movesFrom(BuildState from) {
    return Collections.unmodifiableSet(MOVES.get(from));
  }

  /** Whether {@code from → to} is a legal move. */
  public static boolean canMove(BuildState from, BuildState to) {
    return MOVES.get(from).contains(to);
  }

  /** Whether no move leaves {@code state}. */
  public static boolean isTerminal(BuildState state) {
    return MOVES.get(state).isEmpty();
  }

  /**
   * Checks one move of one build.
   *
   * @return {@code to}, so a caller can write {@code state = move(id, state, RUNNING)}
   * @throws IllegalTransitionException when the table forbids the move
   */
  public static BuildState move(String buildId, BuildState from, BuildState to) {
    if (!canMove(from, to)) {
      throw new IllegalTransitionException(buildId, from, to);
    }
    return to;
  }
}
