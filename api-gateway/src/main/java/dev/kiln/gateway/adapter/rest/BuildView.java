package dev.kiln.gateway.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.gateway.domain.BuildRecord;
import java.time.Instant;
import java.util.List;

/**
 * A build as the API shows it; fields without a value are left out.
 *
 * @param spec the spec as submitted, with secret values shown as {@value BuildSpec#REDACTED}; a
 *     catalog build shows the Dockerfile and context it was resolved to
 * @param warnings the lint findings of its Dockerfile at submission
 * @param catalog the custom image of the catalog it was built from
 * @param catalogCommit the catalog commit it was built from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildView(
    String id,
    BuildState status,
    int attempt,
    String owner,
    Instant createdAt,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant updatedAt,
    String worker,
    String reason,
    BuildSpec spec,
    ImageInfo image,
    BuildError error,
    List<FindingView> warnings,
    String catalog,
    String catalogCommit) {

  static BuildView of(BuildRecord build) {
    return new BuildView(
        build.id(),
        build.status(),
        build.attempt(),
        build.owner(),
        build.createdAt(),
        build.queuedAt(),
        build.startedAt(),
        build.finishedAt(),
        build.updatedAt(),
        build.worker(),
        build.reason(),
        build.spec(),
        build.image(),
        build.error(),
        FindingView.of(build.warnings()),
        build.catalog() == null ? null : build.catalog().name(),
        build.catalog() == null ? null : build.catalog().commit());
  }
}
