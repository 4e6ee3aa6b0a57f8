package dev.kiln.scheduler.domain;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.contracts.spec.GitSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * What a build is built from, as far as a worker's layer cache cares: two builds with the same key
 * find each other's layers on the worker that ran the first. A git source is its repository and
 * Dockerfile path (any ref: most layers survive a new commit), an uploaded context its digest, an
 * inline Dockerfile a hash of its text, a catalog entry its name.
 *
 * @param value the key, such as {@code context:sha256:…}
 */
public record SourceKey(String value) {
  public SourceKey {
    Objects.requireNonNull(value, "value");
  }

  /** The key of a build's source. */
  public static SourceKey of(BuildSpec spec) {
    BuildSource source = spec.source();
    if (source.git() != null) {
      GitSource git = source.git();
      String path =
          git.subdir().isEmpty() ? spec.dockerfile() : git.subdir() + "/" + spec.dockerfile();
      return new SourceKey("git:" + git.url() + "#" + path);
    }
    if (source.context() != null) {
      return new SourceKey("context:" + source.context());
    }
    if (source.dockerfile() != null) {
      return new SourceKey("dockerfile:" + sha256(source.dockerfile()));
    }
    return new SourceKey("catalog:" + source.catalog());
  }

  private static Digest sha256(String text) {
    try {
      return Digest.sha256(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
