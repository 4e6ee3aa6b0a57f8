package dev.kiln.worker.app;

import dev.kiln.contracts.Digest;
import java.nio.file.Path;

/** Gets an uploaded build context onto this machine. */
public interface ContextFetcher {
  /**
   * Downloads the context and unpacks it into {@code target}, refusing anything that would land
   * outside it.
   *
   * @return how many entries it unpacked
   * @throws SourceFetchException when the context cannot be had or is unsafe
   */
  long fetch(Digest context, Path target, Cancellation cancellation)
      throws SourceFetchException, InterruptedException;

  /** Whether the context is on this machine already, so fetching it downloads nothing. */
  default boolean isCached(Digest context) {
    return false;
  }
}
