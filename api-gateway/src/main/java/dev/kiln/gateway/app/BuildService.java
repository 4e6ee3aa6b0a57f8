package dev.kiln.gateway.app;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.CancelRequested;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.gateway.domain.BuildRecord;
import dev.kiln.gateway.domain.Caller;
import dev.kiln.gateway.domain.CatalogOrigin;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Submitting, reading, cancelling and retrying builds. */
@ApplicationScoped
public class BuildService {
  public static final int DEFAULT_PAGE = 50;
  public static final int MAX_PAGE = 500;

  private final BuildStore builds;
  private final BuildPreparation preparation;
  private final RequestRelay relay;

  public BuildService(BuildStore builds, BuildPreparation preparation, RequestRelay relay) {
    this.builds = builds;
    this.preparation = preparation;
    this.relay = relay;
  }

  /**
   * Accepts a build: its record and its {@code BuildRequested} are stored in one transaction, so an
   * accepted build always reaches the scheduler, and a refused one leaves nothing behind. Its
   * Dockerfile is checked first when the gateway has it (see {@link BuildPreparation}).
   */
  public BuildRecord submit(Caller caller, BuildSpec submitted) {
    return submit(caller, submitted, null);
  }

  private BuildRecord submit(Caller caller, BuildSpec submitted, CatalogOrigin origin) {
    BuildPreparation.PreparedBuild prepared = preparation.prepare(submitted, origin);
    BuildSpec spec = prepared.spec();
    String id = BuildIds.newId();
    BuildRecord build =
        BuildRecord.accepted(id, caller.name(), spec, Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .withSubmission(prepared.warnings(), prepared.catalog());
    builds.insert(build, Envelope.of(id, new BuildRequested(spec, caller.name())));
    relay.wakeUp();
    return build;
  }

  /** A build the caller may see; another owner's build is not found, so ids cannot be probed. */
  public BuildRecord get(Caller caller, String buildId) {
    if (!BuildIds.isValid(buildId)) {
      throw new Failures.BuildNotFound(buildId);
    }
    return builds
        .find(buildId)
        .filter(build -> caller.mayAccess(build.owner()))
        .orElseThrow(() -> new Failures.BuildNotFound(buildId));
  }

  /**
   * One page of the builds the caller may see, newest first.
   *
   * @param status only builds in this state, or all when {@code null}
   * @param owner only builds of this owner, or all the caller may see when {@code null}; a caller
   *     who is not an admin sees only their own whatever this says
   * @param limit the page size, {@link #DEFAULT_PAGE} when {@code null}, at most {@link #MAX_PAGE}
   * @param cursor the {@code next} of the previous page, or {@code null} for the first
   */
  public BuildPage list(
      Caller caller, BuildState status, String owner, Integer limit, String cursor) {
    if (limit != null && limit < 1) {
      throw new Failures.RequestRejected("invalid_field", "limit must be at least 1", "limit");
    }
    if (cursor != null && !BuildIds.isValid(cursor)) {
      throw new Failures.RequestRejected(
          "invalid_field", "cursor must be the 'next' of a previous page", "cursor");
    }
    int size = limit == null ? DEFAULT_PAGE : Math.min(limit, MAX_PAGE);
    String onlyOwner = caller.isAdmin() ? owner : caller.name();
    List<BuildRecord> found = builds.list(status, onlyOwner, cursor, size + 1);
    if (found.size() <= size) {
      return new BuildPage(found, null);
    }
    List<BuildRecord> page = found.subList(0, size);
    return new BuildPage(List.copyOf(page), page.getLast().id());
  }

  /** Asks the scheduler to cancel a build that has not finished. */
  public BuildRecord cancel(Caller caller, String buildId, String reason) {
    BuildRecord build = get(caller, buildId);
    if (build.finished()) {
      throw new Failures.BuildConflict(
          "build_finished",
          "build " + buildId + " already finished as " + build.status() + "; nothing to cancel");
    }
    builds.append(Envelope.of(buildId, new CancelRequested(caller.name(), reason)));
    relay.wakeUp();
    return build;
  }

  /** Submits the spec of an earlier build again, as a new build. */
  public BuildRecord retry(Caller caller, String buildId) {
    BuildRecord original = get(caller, buildId);
    if (original.usedSecrets()) {
      throw new Failures.BuildConflict(
          "secrets_required",
          "build "
              + buildId
              + " used secrets "
              + original.spec().secrets().keySet()
              + ", whose values Kiln does not keep; submit it again with POST /api/v1/builds"
              + " and the secret values");
    }
    return submit(caller, original.spec(), original.catalog());
  }

  /**
   * A page of builds.
   *
   * @param next the cursor of the following page, {@code null} on the last page
   */
  public record BuildPage(List<BuildRecord> builds, String next) {}
}
