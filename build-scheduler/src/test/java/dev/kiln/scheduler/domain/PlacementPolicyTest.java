package dev.kiln.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementPolicyTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64");
  private final PlacementPolicy policy = new PlacementPolicy(Duration.ofSeconds(15));

  @Test
  void buildThatNamesAPlatformGoesOnlyToWorkersOfThatPlatform() {
    List<Worker> workers = List.of(worker("arm", ARM64, 4, 0), worker("amd", AMD64, 4, 3));

    assertThat(policy.choose(AMD64, workers, NOW)).map(Worker::id).contains("amd");
    assertThat(policy.choose(Platform.parse("linux/s390x"), workers, NOW)).isEmpty();
  }

  @Test
  void buildThatNamesNoPlatformMayGoAnywhere() {
    List<Worker> workers = List.of(worker("arm", ARM64, 4, 0));

    assertThat(policy.choose(null, workers, NOW)).map(Worker::id).contains("arm");
  }

  @Test
  void fullWorkerIsPassedOver() {
    List<Worker> workers = List.of(worker("full", AMD64, 2, 2), worker("free", AMD64, 1, 0));

    assertThat(policy.choose(AMD64, workers, NOW)).map(Worker::id).contains("free");
    assertThat(policy.choose(AMD64, List.of(worker("full", AMD64, 2, 2)), NOW)).isEmpty();
  }

  @Test
  void leastLoadedWorkerIsChosen() {
    List<Worker> workers =
        List.of(
            worker("half", AMD64, 4, 2), worker("quarter", AMD64, 4, 1), worker("b", AMD64, 2, 1));

    assertThat(policy.choose(AMD64, workers, NOW)).map(Worker::id).contains("quarter");
  }

  @Test
  void amongEquallyLoadedWorkersTheOneWithMoreFreeSlotsWins() {
    List<Worker> workers = List.of(worker("small", AMD64, 1, 0), worker("big", AMD64, 8, 0));

    assertThat(policy.choose(AMD64, workers, NOW)).map(Worker::id).contains("big");
  }

  @Test
  void silentWorkerIsPassedOver() {
    Worker silent =
        new Worker("silent", AMD64, Map.of(), 4, 0, NOW, NOW.minusSeconds(16), false, Set.of());
    Worker justInTime =
        new Worker("late", AMD64, Map.of(), 4, 3, NOW, NOW.minusSeconds(15), false, Set.of());

    assertThat(policy.choose(AMD64, List.of(silent, justInTime), NOW))
        .map(Worker::id)
        .contains("late");
  }

  @Test
  void stoppingWorkerTakesNoNewBuilds() {
    Worker stopping = new Worker("stopping", AMD64, Map.of(), 4, 0, NOW, NOW, true, Set.of());

    assertThat(policy.choose(AMD64, List.of(stopping), NOW)).isEmpty();
    assertThat(policy.hasRoom(stopping, NOW)).isFalse();
  }

  private static Worker worker(String id, Platform platform, int slots, int busy) {
    return new Worker(id, platform, Map.of(), slots, busy, NOW, NOW, false, Set.of());
  }
}
