package dev.kiln.gateway.app;

import dev.kiln.contracts.Digest;
import java.nio.file.Path;
import java.util.Optional;

/** Uploaded build contexts, kept by the digest of their bytes as uploaded. */
public interface ContextStore {
  /** Keeps a validated upload under its digest; keeping the same bytes again changes nothing. */
  void keep(ReceivedUpload upload, boolean gzip);

  boolean exists(Digest digest);

  Optional<StoredContext> find(Digest digest);

  /**
   * A kept context.
   *
   * @param gzip whether its bytes are gzip-compressed
   * @param file where its bytes are
   */
  record StoredContext(Digest digest, long size, boolean gzip, Path file) {}
}
