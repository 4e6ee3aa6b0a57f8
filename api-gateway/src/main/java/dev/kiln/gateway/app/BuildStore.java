package dev.kiln.gateway.app;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.gateway.domain.BuildRecord;
import java.util.List;
import java.util.Optional;

/**
 * Build records, their status projection and the outbox of requests, kept together so that a record
 * and the event announcing it are written in one transaction. Every method throws {@link
 * Failures.StorageUnavailable} when the database cannot be used.
 */
public interface BuildStore {
  /** Stores a new build and the event that queues it, both or neither. */
  void insert(BuildRecord build, Envelope requested);

  /** Stores an event about an existing build for the relay to publish. */
  void append(Envelope event);

  Optional<BuildRecord> find(String buildId);

  /**
   * Builds newest first.
   *
   * @param status only builds in this state, or all when {@code null}
   * @param owner only builds of this owner, or everyone's when {@code null}
   * @param before only builds older than this id, or from the newest when {@code null}
   */
  List<BuildRecord> list(BuildState status, String owner, String before, int limit);

  /**
   * Applies status moves to the builds they name, in order, each at most once however often it is
   * delivered. Moves of builds this gateway never recorded are skipped.
   */
  void applyStatusChanges(List<Envelope> changes);
}
