package dev.kiln.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.CancelAcknowledged;
import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.worker.domain.DockerfileCheck;
import dev.kiln.worker.domain.LineCap;
import dev.kiln.worker.domain.SecretMask;
import dev.kiln.worker.domain.StopReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's slots, its local queue and its answers to cancels, with a scripted engine. */
class BuildRunnerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final BuildSpec SPEC =
      new BuildSpec(
          BuildSource.ofDockerfile("FROM scratch"),
          null,
          null,
          null,
          null,
          false,
          null,
          null,
          null,
          0,
          null);

  @TempDir Path work;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ScriptedEngine engine = new ScriptedEngine();
  private final ConcurrentLinkedQueue<Reported> reports = new ConcurrentLinkedQueue<>();
  private final List<Path> archives = new CopyOnWriteArrayList<>();
  private BuildRunner runner;

  private record Reported(String buildId, Event event) {}

  @BeforeEach
  void startRunner() {
    EventSink sink =
        (buildId, event) -> {
          reports.add(new Reported(buildId, event));
          return CompletableFuture.completedFuture(null);
        };
    BuildExecution.Services services =
        new BuildExecution.Services(
            "worker-1",
            work,
            engine,
            Platform.current(),
            new DockerfileCheck(List.of()),
            (context, target, cancellation) -> 0,
            (source, target, output, cancellation) -> {
              throw new UnsupportedOperationException("these builds have no git source");
            },
            (buildId, archive) -> archives.add(archive),
            sink,
            new LogBatcher.Limits(500, 1 << 20, Duration.ofMillis(5)),
            new LineCap(64 * 1024),
            100L << 20,
            SecretMask.NONE,
            timer,
            WAIT,
            Clock.systemUTC());
    runner =
        new BuildRunner(
            "worker-1",
            1,
            sink,
            assignment -> new BuildExecution(assignment, services),
            WAIT,
            Clock.systemUTC(),
            () -> {});
  }

  @AfterEach
  void stopRunnerBeforeTheWorkFolderGoes() throws InterruptedException {
    runner.stopTaking();
    assertThat(runner.stopRunning(WAIT)).isTrue();
    timer.shutdownNow();
  }

  @Test
  void assignmentBeyondTheSlotsWaitsAndStartsWhenASlotFrees() {
    runner.assigned(assignment("a"));
    runner.assigned(assignment("b"));

    assertThat(accepted()).containsExactly("a");
    assertThat(runner.status().slotsFree()).isZero();
    engine.release("a");
    await().atMost(WAIT).until(() -> accepted().contains("b"));
    assertThat(reportsOf(BuildAccepted.class, BuildFinished.class))
        .containsExactly("a:BuildAccepted", "a:BuildFinished", "b:BuildAccepted");
    engine.release("b");
  }

  @Test
  void repeatedAssignmentOfAnAttemptIsIgnored() {
    runner.assigned(assignment("a"));
    runner.assigned(assignment("a"));
    engine.release("a");
    await().atMost(WAIT).until(() -> finished("a") != null);
    runner.assigned(assignment("a"));

    assertThat(accepted()).containsExactly("a");
  }

  @Test
  void cancelledWaitingAssignmentIsDroppedAndAcknowledged() {
    runner.assigned(assignment("a"));
    runner.assigned(assignment("b"));

    runner.cancel("b", 1, StopReason.USER_REQUESTED);
    engine.release("a");
    await().atMost(WAIT).until(() -> finished("a") != null);

    assertThat(reportsOf(CancelAcknowledged.class)).containsExactly("b:CancelAcknowledged");
    assertThat(accepted()).containsExactly("a");
  }

  @Test
  void cancelledRunningBuildReportsCancelledAndThenAcknowledges() {
    runner.assigned(assignment("a"));

    runner.cancel("a", 1, StopReason.USER_REQUESTED);
    await().atMost(WAIT).until(() -> !reportsOf(CancelAcknowledged.class).isEmpty());

    assertThat(finished("a").outcome()).isEqualTo(BuildState.CANCELLED);
    assertThat(reportsOf(BuildFinished.class, CancelAcknowledged.class))
        .containsExactly("a:BuildFinished", "a:CancelAcknowledged");
  }

  @Test
  void stoppingWorkerReportsItsRunningBuildsAsErrorAndTakesNoMore() throws Exception {
    runner.assigned(assignment("a"));

    runner.stopTaking();
    runner.assigned(assignment("late"));
    assertThat(runner.stopRunning(WAIT)).isTrue();

    BuildFinished finished = finished("a");
    assertThat(finished.outcome()).isEqualTo(BuildState.ERROR);
    assertThat(finished.error().message()).isEqualTo("worker stopping");
    assertThat(accepted()).containsExactly("a");
    assertThat(runner.status().stopping()).isTrue();
    assertThat(runner.status().running()).isEmpty();
    assertThat(reportsOf(CancelAcknowledged.class)).isEmpty();
  }

  @Test
  void waitingAssignmentWhoseLeaseEndedIsDropped() {
    runner.assigned(assignment("a"));
    runner.assigned(new Assignment("expired", 1, Instant.now().minusSeconds(1), SPEC));
    engine.release("a");
    await().atMost(WAIT).until(() -> finished("a") != null);

    assertThat(runner.status().running()).doesNotContain(new RunningAttempt("expired", 1));
    assertThat(accepted()).containsExactly("a");
  }

  @Test
  void buildWithoutPushKeepsItsArchiveAndRemovesItsWorkspace() throws Exception {
    runner.assigned(assignment("a"));
    engine.release("a");
    await().atMost(WAIT).until(() -> finished("a") != null);

    assertThat(finished("a").image().archived()).isTrue();
    assertThat(archives).singleElement().asString().endsWith("a-1/image.tar");
    try (var left = Files.list(work)) {
      assertThat(left).isEmpty();
    }
  }

  private Assignment assignment(String buildId) {
    return new Assignment(buildId, 1, Instant.now().plusSeconds(300), SPEC);
  }

  private List<String> accepted() {
    return reports.stream()
        .filter(report -> report.event() instanceof BuildAccepted)
        .map(Reported::buildId)
        .toList();
  }

  private BuildFinished finished(String buildId) {
    return reports.stream()
        .filter(report -> report.buildId().equals(buildId))
        .map(Reported::event)
        .filter(BuildFinished.class::isInstance)
        .map(BuildFinished.class::cast)
        .findFirst()
        .orElse(null);
  }

  @SafeVarargs
  private List<String> reportsOf(Class<? extends Event>... types) {
    return reports.stream()
        .filter(report -> List.of(types).stream().anyMatch(type -> type.isInstance(report.event())))
        .map(report -> report.buildId() + ":" + report.event().type())
        .toList();
  }
}
