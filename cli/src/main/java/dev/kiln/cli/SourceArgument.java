package dev.kiln.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The build context argument: a local folder, or a git URL with an optional {@code #ref} and {@code
 * :subdir}, as {@code docker build} takes them.
 *
 * @param folder the local folder, or {@code null} for git
 * @param gitUrl the repository URL, or {@code null} for a folder
 * @param ref the branch, tag or commit, or {@code null}
 * @param subdir the folder inside the repository, or empty
 */
record SourceArgument(Path folder, String gitUrl, String ref, String subdir) {
  private static final Pattern GIT =
      Pattern.compile("^(https?://|git://|ssh://|git@|file://).+|.+\\.git(#.*)?$");

  static SourceArgument parse(String text) {
    if (!GIT.matcher(text).matches()) {
      return new SourceArgument(Path.of(text), null, null, "");
    }
    String url = text;
    String ref = null;
    String subdir = "";
    int hash = text.indexOf('#');
    if (hash >= 0) {
      url = text.substring(0, hash);
      String fragment = text.substring(hash + 1);
      int colon = fragment.indexOf(':');
      ref = colon >= 0 ? fragment.substring(0, colon) : fragment;
      subdir = colon >= 0 ? fragment.substring(colon + 1) : "";
      ref = ref.isEmpty() ? null : ref;
    }
    return new SourceArgument(null, url, ref, subdir);
  }

  boolean isGit() {
    return gitUrl != null;
  }
}
