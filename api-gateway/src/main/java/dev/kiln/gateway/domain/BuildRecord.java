package dev.kiln.gateway.domain;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.dockerfile.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the gateway knows about one build: the spec as stored (secret values removed) and the latest
 * status it learned from {@code kiln.build.status.v1}.
 *
 * @param id the build id
 * @param owner who submitted it
 * @param spec the submitted spec without secret values
 * @param status the latest status
 * @param attempt the attempt that status belongs to
 * @param worker the worker running or last running the current attempt
 * @param reason why the build made its latest move
 * @param image the image built, once it succeeded
 * @param error what went wrong, once it did not succeed
 * @param createdAt when the API accepted it
 * @param queuedAt when it last entered the queue
 * @param startedAt when the current attempt started running
 * @param finishedAt when it reached a terminal state
 * @param updatedAt when its latest move happened
 * @param warnings the lint findings of its Dockerfile when it was submitted; empty when the gateway
 *     could not read the Dockerfile (git sources)
 * @param catalog the catalog entry it was built from, or {@code null}
 */
public record BuildRecord(
    String id,
    String owner,
    BuildSpec spec,
    BuildState status,
    int attempt,
    String worker,
    String reason,
    ImageInfo image,
    BuildError error,
    Instant createdAt,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant updatedAt,
    List<Finding> warnings,
    CatalogOrigin catalog) {

  public BuildRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** A build just accepted by the API; secret values are dropped here, so they are never kept. */
  public static BuildRecord accepted(String id, String owner, BuildSpec spec, Instant now) {
    return new BuildRecord(
        id,
        owner,
        spec.withoutSecretValues(),
        BuildState.QUEUED,
        1,
        null,
        null,
        null,
        null,
        now,
        now,
        null,
        null,
        now,
        List.of(),
        null);
  }

  /** The record with what the gateway learned from the build's Dockerfile and catalog entry. */
  public BuildRecord withSubmission(List<Finding> warnings, CatalogOrigin catalog) {
    return new BuildRecord(
        id,
        owner,
        spec,
        status,
        attempt,
        worker,
        reason,
        image,
        error,
        createdAt,
        queuedAt,
        startedAt,
        finishedAt,
        updatedAt,
        warnings,
        catalog);
  }

  /**
   * The record after the scheduler moved the build. A requeue starts a new attempt, so what
   * belonged to the lost attempt (its worker, start time and error) is dropped.
   *
   * @param at when the move happened
   */
  public BuildRecord apply(BuildStatusChanged change, Instant at) {
    BuildState to = change.to();
    boolean requeued = to == BuildState.QUEUED;
    return new BuildRecord(
        id,
        owner,
        spec,
        to,
        change.attempt() > 0 ? change.attempt() : attempt,
        change.workerId() != null ? change.workerId() : requeued ? null : worker,
        change.reason(),
        change.image() != null ? change.image() : image,
        change.error() != null ? change.error() : requeued ? null : error,
        createdAt,
        requeued ? at : queuedAt,
        to == BuildState.RUNNING ? at : requeued ? null : startedAt,
        to.isTerminal() ? at : finishedAt,
        at,
        warnings,
        catalog);
  }

  /** Whether the build already ended, so it can no longer be cancelled. */
  public boolean finished() {
    return status.isTerminal();
  }

  /** Whether it was submitted with secrets, whose values Kiln does not keep. */
  public boolean usedSecrets() {
    return !spec.secrets().isEmpty();
  }
}
