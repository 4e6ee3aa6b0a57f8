package dev.kiln.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.Platform;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementPolicyTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64");
  private static final Duration AFFINITY_WAIT = Duration.ofSeconds(10);
  private final PlacementPolicy policy = new PlacementPolicy(Duration.ofSeconds(15), AFFINITY_WAIT);

  @Test
  void buildThatNamesAPlatformGoesOnlyToWorkersOfThatPlatform() {
    List<Worker> workers = List.of(worker("arm", ARM64, 4, 0), worker("amd", AMD64, 4, 3));

    assertThat(chosen(build(AMD64, Map.of()), workers)).contains("amd");
    assertThat(chosen(build(Platform.parse("linux/s390x"), Map.of()), workers)).isEmpty();
  }

  @Test
  void buildThatNamesNoPlatformMayGoAnywhere() {
    assertThat(chosen(build(null, Map.of()), List.of(worker("arm", ARM64, 4, 0)))).contains("arm");
  }

  @Test
  void buildThatRequiresLabelsGoesOnlyToWorkersCarryingThemAll() {
    Worker plain = worker("plain", AMD64, 4, 0);
    Worker gpu = withLabels(worker("gpu", AMD64, 4, 3), Map.of("gpu", "true", "zone", "a"));
    Worker otherGpu = withLabels(worker("gpu-b", AMD64, 4, 0), Map.of("gpu", "true", "zone", "b"));

    assertThat(
            chosen(build(null, Map.of("gpu", "true", "zone", "a")), List.of(plain, gpu, otherGpu)))
        .contains("gpu");
    assertThat(chosen(build(null, Map.of("gpu", "false")), List.of(plain, gpu, otherGpu)))
        .isEmpty();
    assertThat(chosen(build(null, Map.of()), List.of(gpu, plain))).contains("plain");
  }

  @Test
  void fullWorkerIsPassedOver() {
    List<Worker> workers = List.of(worker("full", AMD64, 2, 2), worker("free", AMD64, 1, 0));

    assertThat(chosen(build(AMD64, Map.of()), workers)).contains("free");
    assertThat(chosen(build(AMD64, Map.of()), List.of(worker("full", AMD64, 2, 2)))).isEmpty();
  }

  @Test
  void leastLoadedWorkerIsChosen() {
    List<Worker> workers =
        List.of(
            worker("half", AMD64, 4, 2), worker("quarter", AMD64, 4, 1), worker("b", AMD64, 2, 1));

    assertThat(chosen(build(AMD64, Map.of()), workers)).contains("quarter");
  }

  @Test
  void amongEquallyLoadedWorkersTheOneWithMoreFreeSlotsWins() {
    List<Worker> workers = List.of(worker("small", AMD64, 1, 0), worker("big", AMD64, 8, 0));

    assertThat(chosen(build(AMD64, Map.of()), workers)).contains("big");
  }

  @Test
  void silentWorkerIsPassedOver() {
    Worker silent =
        new Worker("silent", AMD64, Map.of(), 4, 0, NOW, NOW.minusSeconds(16), false, Set.of());
    Worker justInTime =
        new Worker("late", AMD64, Map.of(), 4, 3, NOW, NOW.minusSeconds(15), false, Set.of());

    assertThat(chosen(build(AMD64, Map.of()), List.of(silent, justInTime))).contains("late");
  }

  @Test
  void stoppingWorkerTakesNoNewBuilds() {
    Worker stopping = new Worker("stopping", AMD64, Map.of(), 4, 0, NOW, NOW, true, Set.of());

    assertThat(chosen(build(AMD64, Map.of()), List.of(stopping))).isEmpty();
    assertThat(policy.hasRoom(stopping, NOW)).isFalse();
  }

  @Test
  void workerThatLastBuiltTheSourceWinsOverALessLoadedOne() {
    List<Worker> workers = List.of(worker("idle", AMD64, 4, 0), worker("warm", AMD64, 4, 3));

    Placement placement = policy.place(build(null, Map.of()), Optional.of("warm"), workers, NOW);

    assertThat(placement).isEqualTo(new Placement.OnWorker(workers.get(1), true));
  }

  @Test
  void buildWaitsForItsBusyPreferredWorkerWithinTheAffinityWait() {
    List<Worker> workers = List.of(worker("idle", AMD64, 4, 0), worker("warm", AMD64, 2, 2));
    Build queued = build(null, Map.of());

    assertThat(policy.place(queued, Optional.of("warm"), workers, NOW.plusSeconds(9)))
        .isEqualTo(new Placement.WaitForPreferred("warm"));
    assertThat(policy.place(queued, Optional.of("warm"), workers, NOW.plusSeconds(10)))
        .isEqualTo(new Placement.OnWorker(workers.get(0), false));
  }

  @Test
  void preferredWorkerThatIsGoneOrNoLongerFitsIsNotWaitedFor() {
    Worker idle = worker("idle", AMD64, 4, 0);
    Worker silent =
        new Worker("warm", AMD64, Map.of(), 2, 2, NOW, NOW.minusSeconds(60), false, Set.of());
    Worker unlabelled = worker("warm", AMD64, 2, 2);

    assertThat(policy.place(build(null, Map.of()), Optional.of("warm"), List.of(idle, silent), NOW))
        .isEqualTo(new Placement.OnWorker(idle, false));
    assertThat(policy.place(build(null, Map.of()), Optional.of("gone"), List.of(idle), NOW))
        .isEqualTo(new Placement.OnWorker(idle, false));
    Worker labelledIdle = withLabels(idle, Map.of("gpu", "true"));
    assertThat(
            policy.place(
                build(null, Map.of("gpu", "true")),
                Optional.of("warm"),
                List.of(labelledIdle, unlabelled),
                NOW))
        .isEqualTo(new Placement.OnWorker(labelledIdle, false));
  }

  private Optional<String> chosen(Build build, List<Worker> workers) {
    return switch (policy.place(build, Optional.empty(), workers, NOW)) {
      case Placement.OnWorker on -> Optional.of(on.worker().id());
      default -> Optional.empty();
    };
  }

  private static Build build(Platform platform, Map<String, String> workerLabels) {
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            null,
            null,
            null,
            false,
            new BuildOptions(false, null, false, platform, null),
            null,
            null,
            0,
            null,
            workerLabels);
    return Build.submitted("b1", "alice", spec, NOW, NOW);
  }

  private static Worker worker(String id, Platform platform, int slots, int busy) {
    return new Worker(id, platform, Map.of(), slots, busy, NOW, NOW, false, Set.of());
  }

  private static Worker withLabels(Worker worker, Map<String, String> labels) {
    return new Worker(
        worker.id(),
        worker.platform(),
        labels,
        worker.slotsTotal(),
        worker.busy(),
        worker.startedAt(),
        worker.lastSeen(),
        worker.stopping(),
        worker.running());
  }
}
