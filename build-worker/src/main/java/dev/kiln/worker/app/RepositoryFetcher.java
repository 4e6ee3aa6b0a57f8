package dev.kiln.worker.app;

import dev.kiln.contracts.spec.GitSource;
import java.nio.file.Path;

/** Gets the files of a git repository at one ref onto this machine, as a build context. */
public interface RepositoryFetcher {
  /**
   * What was checked out.
   *
   * @param commit the full id of the commit the ref named
   * @param files how many files and links were written
   */
  record Checkout(String commit, long files) {}

  /**
   * Writes the files of {@code source.subdir()} at {@code source.ref()} into {@code target}, an
   * empty folder, without any git metadata.
   *
   * @throws SourceFetchException when the repository, the ref or the subdir cannot be had
   */
  Checkout checkout(GitSource source, Path target, BuildOutput output, Cancellation cancellation)
      throws SourceFetchException, InterruptedException;
}
