package dev.kiln.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** A context folder's {@code .dockerignore}. */
final class DockerIgnoreFile {
  private DockerIgnoreFile() {}

  static DockerIgnoreFile read(Path root) {
    if (Files.exists(root.resolve(".dockerignore"))) {
      throw new UsageProblem("PENDING: .dockerignore support comes with the build-context library");
    }
    return new DockerIgnoreFile();
  }

  boolean includes(String path) {
    return true;
  }
}
