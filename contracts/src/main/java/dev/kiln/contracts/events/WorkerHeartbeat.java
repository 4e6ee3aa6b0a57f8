package dev.kiln.contracts.events;

import dev.kiln.contracts.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A worker says it is alive and what it can take.
 *
 * @param workerId unique per worker process
 * @param slotsTotal how many builds it runs at once
 * @param slotsFree how many more it can take now
 * @param platform the platform it builds for
 * @param labels labels a build may require
 * @param running the attempts it is running
 * @param cacheHints sources it built recently (repository and Dockerfile path, or context digest)
 * @param startedAt when the worker process started; a new value means it restarted
 * @param stopping whether it is shutting down and takes no new builds
 */
public record WorkerHeartbeat(
    String workerId,
    int slotsTotal,
    int slotsFree,
    Platform platform,
    Map<String, String> labels,
    List<RunningAttempt> running,
    List<String> cacheHints,
    Instant startedAt,
    boolean stopping)
    implements Event {
  public WorkerHeartbeat {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(platform, "platform");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    running = running == null ? List.of() : List.copyOf(running);
    cacheHints = cacheHints == null ? List.of() : List.copyOf(cacheHints);
  }

  /**
   * One build a worker is running.
   *
   * @param buildId the build
   * @param attempt its attempt
   */
  public record RunningAttempt(String buildId, int attempt) {}
}
