package dev.kiln.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;

/** A git repository on local disk that tests commit to, as a user's repository would be. */
final class TestRepository implements AutoCloseable {
  private final Path dir;
  private final Git git;

  private TestRepository(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  static TestRepository create(Path dir) throws GitAPIException {
    return new TestRepository(
        dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
  }

  /** The repository's {@code file://} URL. */
  String url() {
    return dir.toUri().toString();
  }

  /** Writes the files (path → content), commits them all, and returns the commit's id. */
  String commit(Map<String, byte[]> files, String message) throws IOException, GitAPIException {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = dir.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
      if (file.getKey().equals("busybox")) {
        path.toFile().setExecutable(true);
      }
    }
    git.add().addFilepattern(".").call();
    RevCommit commit = git.commit().setMessage(message).setAuthor("t", "t@example.org").call();
    return commit.name();
  }

  /** Adds a symbolic link and commits it. */
  void commitLink(String name, String target) throws IOException, GitAPIException {
    Files.createSymbolicLink(dir.resolve(name), Path.of(target));
    git.add().addFilepattern(name).call();
    git.commit().setMessage("link " + name).setAuthor("t", "t@example.org").call();
  }

  void tag(String name) throws GitAPIException {
    git.tag().setName(name).setAnnotated(true).setMessage(name).call();
  }

  @Override
  public void close() {
    git.close();
  }
}
