package dev.kiln.gateway.app.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The git repository behind the catalog: one branch, written only by whole commits whose parent
 * must still be the branch's head, so two writers never overwrite each other silently.
 */
public interface CatalogRepository {
  /** The head commit of the branch, or empty before the first commit. */
  Optional<String> head();

  /** The full id of a commit named by a full or abbreviated id, if the repository has it. */
  Optional<String> resolve(String commit);

  /**
   * The files under a folder at a commit.
   *
   * @return size in bytes by path from the repository's root, sorted by path
   */
  SortedMap<String, Long> files(String commit, String folder);

  /** The bytes of one file at a commit. */
  Optional<byte[]> read(String commit, String path);

  /** Whether a file is executable at a commit. */
  boolean executable(String commit, String path);

  /**
   * Records changes as one commit on top of {@code parent} and moves the branch to it.
   *
   * @param parent the head the changes were made on, or {@code null} for the first commit
   * @return the new commit's id
   * @throws HeadMovedException when the branch no longer points at {@code parent}; nothing changed
   */
  String commit(String parent, List<FileChange> changes, String author, String message)
      throws HeadMovedException;

  /**
   * Commits that changed something under {@code path}, newest first.
   *
   * @param path a folder or a file, from the repository's root
   */
  List<CommitInfo> log(String path, int limit);

  /** What changed under a folder from one commit to another, as unified diffs. */
  List<FileDiff> diff(String from, String to, String folder);

  /**
   * Pushes the branch to a remote repository; the local repository does not change either way.
   *
   * @return the commit the remote's branch now points at
   */
  String push(Remote remote);

  /**
   * Makes the branch what the remote's branch is (fetch and reset). When the fetch fails, the local
   * repository is left as it was.
   *
   * @return the head before and after, and every file that changed
   */
  Restored restore(Remote remote);

  /**
   * A change to one path.
   *
   * @param content the new bytes, or {@code null} to remove the path (a file, or a whole folder)
   * @param executable whether the file is executable
   */
  record FileChange(String path, byte[] content, boolean executable) {
    public FileChange(String path, byte[] content) {
      this(path, content, false);
    }
  }

  /**
   * One commit.
   *
   * @param id the full commit id
   * @param paths the files it changed (under the path asked for)
   */
  record CommitInfo(
      String id, String author, String email, Instant time, String message, List<String> paths) {}

  /**
   * One file's change.
   *
   * @param change {@code added}, {@code modified}, {@code deleted} or {@code renamed}
   * @param patch the unified diff, or {@code null} when only the list of changes was asked for
   */
  record FileDiff(String path, String change, String patch) {}

  /**
   * A remote git repository and how to sign in to it; the credentials are used for one call and
   * never stored.
   */
  record Remote(String url, String username, String password, String branch) {
    @Override
    public String toString() {
      return url + " (" + branch + ")";
    }
  }

  /**
   * The outcome of a restore.
   *
   * @param from the head before, or {@code null} when the catalog was empty
   * @param to the head after: the remote's
   * @param changes every file that changed, without patches
   */
  record Restored(String from, String to, List<FileDiff> changes) {}

  /** The branch moved since the commit a change was made on. */
  final class HeadMovedException extends Exception {
    public HeadMovedException(String expected) {
      super("the catalog moved on from " + expected);
    }
  }
}
