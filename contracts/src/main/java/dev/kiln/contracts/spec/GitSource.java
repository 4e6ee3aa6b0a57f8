package dev.kiln.contracts.spec;

/**
 * A git repository as a build context.
 *
 * @param url the repository's URL
 * @param ref a branch, a tag or a commit; the remote's default branch when absent
 * @param subdir the folder inside the repository that is the context; the root when empty
 */
public record GitSource(String url, String ref, String subdir) {
  public GitSource {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("git url is missing");
    }
    if (ref != null && ref.isBlank()) {
      ref = null;
    }
    subdir = subdir == null ? "" : subdir;
    if (!subdir.isEmpty()) {
      ContextPaths.requireRelative("subdir", subdir);
    }
  }
}
