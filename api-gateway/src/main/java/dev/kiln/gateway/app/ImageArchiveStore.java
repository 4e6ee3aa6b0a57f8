package dev.kiln.gateway.app;

import dev.kiln.contracts.Digest;
import java.nio.file.Path;
import java.util.Optional;

/** OCI archives of builds that did not push, one per build; a new upload replaces the old. */
public interface ImageArchiveStore {
  void keep(String buildId, ReceivedUpload upload);

  Optional<StoredArchive> find(String buildId);

  /**
   * A kept archive.
   *
   * @param digest the sha256 of the archive file
   * @param file where it is
   */
  record StoredArchive(String buildId, Digest digest, long size, Path file) {}
}
