package dev.kiln.gateway.app;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.dockerfile.Finding;
import dev.kiln.gateway.app.catalog.CatalogService;
import dev.kiln.gateway.domain.CatalogOrigin;
import dev.kiln.gateway.domain.CatalogSnapshotTar;
import dev.kiln.gateway.domain.ContextFile;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * Turns a submitted spec into the spec that is queued: a catalog source becomes the custom image's
 * Dockerfile and a stored context of its files, and the Dockerfile, wherever the gateway can read
 * it, is checked before anything is queued.
 */
@ApplicationScoped
public class BuildPreparation {
  /** Larger Dockerfiles are not read at submission; BuildKit refuses them too. */
  static final int MAX_DOCKERFILE_BYTES = 2 * 1024 * 1024;

  private final ContextStore contexts;
  private final ContextService uploads;
  private final CatalogService catalog;
  private final DockerfileChecks checks;

  public BuildPreparation(
      ContextStore contexts,
      ContextService uploads,
      CatalogService catalog,
      DockerfileChecks checks) {
    this.contexts = contexts;
    this.uploads = uploads;
    this.catalog = catalog;
    this.checks = checks;
  }

  /**
   * Prepares a build for the queue.
   *
   * @param origin the catalog entry of a build submitted again, or {@code null}
   * @throws Failures.RequestRejected naming the field at fault: an unknown context or catalog
   *     image, a Dockerfile that does not parse, a refused base image
   */
  public PreparedBuild prepare(BuildSpec submitted, CatalogOrigin origin) {
    BuildSpec spec = submitted;
    if (submitted.source().catalog() != null) {
      CatalogService.Snapshot snapshot = catalog.snapshot(submitted.source().catalog());
      Digest context =
          snapshot.context().isEmpty()
              ? null
              : uploads
                  .upload(
                      new ByteArrayInputStream(
                          CatalogSnapshotTar.of(snapshot.context(), snapshot.executables())))
                  .digest();
      spec =
          snapshot
              .defaults()
              .applyTo(submitted, new BuildSource(null, context, snapshot.dockerfile(), null));
      origin = new CatalogOrigin(snapshot.name(), snapshot.commit());
    }
    Digest context = spec.source().context();
    if (context != null && !contexts.exists(context)) {
      throw new Failures.RequestRejected(
          "unknown_context",
          "no context " + context + " was uploaded; upload it with POST /api/v1/contexts first",
          "source.context");
    }
    BuildSpec queued = spec;
    List<Finding> warnings =
        dockerfile(queued).map(text -> checks.admit(text, queued)).orElse(List.of());
    return new PreparedBuild(queued, warnings, origin);
  }

  /** The Dockerfile's text, when the gateway has it: inline, or in an uploaded context. */
  private Optional<String> dockerfile(BuildSpec spec) {
    BuildSource source = spec.source();
    if (source.dockerfile() != null) {
      return Optional.of(source.dockerfile());
    }
    if (source.context() == null) {
      return Optional.empty();
    }
    ContextStore.StoredContext stored = contexts.find(source.context()).orElseThrow();
    try (InputStream in = Files.newInputStream(stored.file())) {
      return Optional.of(
          ContextFile.read(in, spec.dockerfile(), MAX_DOCKERFILE_BYTES)
              .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
              .orElseThrow(
                  () ->
                      new Failures.RequestRejected(
                          "invalid_field",
                          "the context "
                              + source.context()
                              + " has no Dockerfile at '"
                              + spec.dockerfile()
                              + "'; put it there or set 'dockerfile' to its path in the context",
                          "dockerfile")));
    } catch (IOException e) {
      throw new Failures.RequestRejected(
          "invalid_field",
          "the Dockerfile '"
              + spec.dockerfile()
              + "' cannot be read from the context: "
              + e.getMessage(),
          "dockerfile");
    }
  }

  /**
   * A build ready to be queued.
   *
   * @param spec the spec the worker gets
   * @param warnings the lint findings kept with the build
   * @param catalog the catalog entry it comes from, or {@code null}
   */
  public record PreparedBuild(BuildSpec spec, List<Finding> warnings, CatalogOrigin catalog) {}
}
