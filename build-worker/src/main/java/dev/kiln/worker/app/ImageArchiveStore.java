package dev.kiln.worker.app;

import java.io.IOException;
import java.nio.file.Path;

/** Keeps the OCI archive of a build that did not push, so its owner can download it. */
public interface ImageArchiveStore {
  /** Uploads the archive of one build; returns once it is stored. */
  void store(String buildId, Path archive) throws IOException, InterruptedException;
}
