package dev.kiln.worker.adapter.git;

import dev.kiln.worker.app.SourceFetchException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the files of one folder of a commit straight from a repository's objects: no working tree,
 * no index, no {@code .git}. The folder is found by following the commit's own tree, symbolic links
 * included as long as they stay inside the repository.
 */
final class TreeCheckout {
  private static final int MAX_LINKS = 40;

  private final Repository repository;
  private final AtomicBoolean stopped;

  TreeCheckout(Repository repository, AtomicBoolean stopped) {
    this.repository = repository;
    this.stopped = stopped;
  }

  /**
   * Writes the files below {@code subdir} (the whole tree when empty) into {@code target}.
   *
   * @return how many files and links were written
   */
  long write(ObjectId commitId, String subdir, Path target)
      throws IOException, SourceFetchException, InterruptedException {
    try (RevWalk walk = new RevWalk(repository);
        ObjectReader reader = repository.newObjectReader()) {
      RevCommit commit = walk.parseCommit(commitId);
      ObjectId tree = folder(reader, commit, subdir);
      long written = 0;
      try (TreeWalk files = new TreeWalk(repository, reader)) {
        files.addTree(tree);
        files.setRecursive(true);
        while (files.next()) {
          if (stopped.get()) {
            throw new InterruptedException("stopped while checking out " + commit.name());
          }
          Path file = target.resolve(files.getPathString());
          FileMode mode = files.getFileMode(0);
          if (mode == FileMode.GITLINK) {
            continue;
          }
          Files.createDirectories(file.getParent());
          if (mode == FileMode.SYMLINK) {
            String link =
                new String(reader.open(files.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            Files.createSymbolicLink(file, Path.of(link));
          } else {
            try (OutputStream out = Files.newOutputStream(file)) {
              reader.open(files.getObjectId(0)).copyTo(out);
            }
            Files.setPosixFilePermissions(
                file,
                PosixFilePermissions.fromString(
                    mode == FileMode.EXECUTABLE_FILE ? "rwxr-xr-x" : "rw-r--r--"));
          }
          written++;
        }
      }
      return written;
    }
  }

  /** The tree of {@code subdir} in the commit, following links that stay in the repository. */
  private ObjectId folder(ObjectReader reader, RevCommit commit, String subdir)
      throws IOException, SourceFetchException {
    List<String> pending = new ArrayList<>(parts(subdir));
    List<String> resolved = new ArrayList<>();
    ObjectId tree = commit.getTree();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.removeFirst();
      if (part.equals("..")) {
        if (resolved.isEmpty()) {
          throw outside(subdir);
        }
        resolved.removeLast();
        tree = treeAt(reader, commit, resolved, subdir);
        continue;
      }
      String path = String.join("/", append(resolved, part));
      try (TreeWalk entry = TreeWalk.forPath(reader, path, commit.getTree())) {
        if (entry == null) {
          throw new SourceFetchException(
              "the repository has no folder '" + subdir + "' at " + commit.name(),
              "Set 'subdir' to a folder of the repository at that ref, or leave it empty.",
              null);
        }
        FileMode mode = entry.getFileMode(0);
        if (mode == FileMode.SYMLINK) {
          if (++links > MAX_LINKS) {
            throw outside(subdir);
          }
          String link =
              new String(reader.open(entry.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
          if (link.startsWith("/")) {
            throw outside(subdir);
          }
          List<String> rest = new ArrayList<>(parts(link));
          rest.addAll(pending);
          pending = rest;
          tree = treeAt(reader, commit, resolved, subdir);
          continue;
        }
        if (mode != FileMode.TREE) {
          throw new SourceFetchException(
              "'" + subdir + "' is a file in the repository, not a folder",
              "Set 'subdir' to a folder of the repository, or leave it empty.",
              null);
        }
        resolved.add(part);
        tree = entry.getObjectId(0);
      }
    }
    return tree;
  }

  private ObjectId treeAt(ObjectReader reader, RevCommit commit, List<String> path, String subdir)
      throws IOException, SourceFetchException {
    if (path.isEmpty()) {
      return commit.getTree();
    }
    try (TreeWalk entry = TreeWalk.forPath(reader, String.join("/", path), commit.getTree())) {
      if (entry == null) {
        throw outside(subdir);
      }
      return entry.getObjectId(0);
    }
  }

  private static SourceFetchException outside(String subdir) {
    return new SourceFetchException(
        "subdir '" + subdir + "' leads outside the repository",
        "Set 'subdir' to a folder inside the repository.",
        null);
  }

  private static List<String> parts(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }

  private static List<String> append(List<String> path, String part) {
    List<String> longer = new ArrayList<>(path);
    longer.add(part);
    return longer;
  }
}
