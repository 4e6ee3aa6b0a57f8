package dev.kiln.worker.app;

import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The folder of one build attempt, {@code <work>/<buildId>-<attempt>/}: its context, its
 * Dockerfile, its secrets and whatever the engine leaves there. It is removed when the attempt
 * ends.
 */
public final class Workspace {
  /**
   * A build's sources on disk.
   *
   * @param contextDir the build context
   * @param dockerfile the Dockerfile to build
   */
  public record Sources(Path contextDir, Path dockerfile) {}

  private final Path dir;

  private Workspace(Path dir) {
    this.dir = dir;
  }

  /** Creates a fresh, empty folder for the attempt, clearing what an earlier run left there. */
  public static Workspace create(Path workRoot, String buildId, int attempt) throws IOException {
    Workspace workspace = new Workspace(workRoot.resolve(buildId + "-" + attempt));
    workspace.delete();
    Files.createDirectories(workspace.dir);
    return workspace;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Puts the build's context and Dockerfile on disk: an uploaded context is fetched and unpacked
   * into {@code context/}; an inline Dockerfile is written to {@code context/<dockerfile>} when it
   * comes alone, or beside the context as {@code Dockerfile.inline} when it comes with one.
   */
  public Sources prepare(
      BuildSpec spec, ContextFetcher contexts, BuildOutput output, Cancellation cancellation)
      throws SourceFetchException, InterruptedException, IOException {
    BuildSource source = spec.source();
    if (source.git() != null) {
      throw new SourceFetchException(
          "git sources are not supported by this worker yet",
          "Upload the repository's folder as a context and build from its digest.",
          null);
    }
    if (source.catalog() != null) {
      throw new SourceFetchException(
          "catalog entry '" + source.catalog() + "' reached the worker without its Dockerfile",
          "Submit the build again; the gateway resolves catalog entries.",
          null);
    }
    Path context = Files.createDirectories(dir.resolve("context"));
    if (source.context() != null) {
      output.system("fetching context " + source.context());
      long entries = contexts.fetch(source.context(), context, cancellation);
      output.system("context unpacked: " + entries + " entries");
    }
    if (source.dockerfile() != null) {
      Path dockerfile =
          source.context() != null
              ? dir.resolve("Dockerfile.inline")
              : context.resolve(spec.dockerfile()).normalize();
      Files.createDirectories(dockerfile.getParent());
      Files.writeString(dockerfile, source.dockerfile());
      return new Sources(context, dockerfile);
    }
    Path dockerfile = context.resolve(spec.dockerfile()).normalize();
    if (!Files.isRegularFile(dockerfile)
        || !dockerfile.toRealPath().startsWith(context.toRealPath())) {
      throw new SourceFetchException(
          "the context has no Dockerfile at '" + spec.dockerfile() + "'",
          "Put the Dockerfile in the context or set 'dockerfile' to its path inside it.",
          null);
    }
    return new Sources(context, dockerfile);
  }

  /**
   * Writes each secret to a file only its owner may read.
   *
   * @return the file of each secret, by secret id
   */
  public Map<String, Path> writeSecrets(Map<String, String> secrets) throws IOException {
    Map<String, Path> files = new LinkedHashMap<>();
    if (secrets.isEmpty()) {
      return files;
    }
    Path secretDir =
        Files.createDirectories(
            dir.resolve("secrets"),
            PosixFilePermissions.asFileAttribute(
                EnumSet.of(
                    PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE)));
    int index = 0;
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      Path file =
          Files.createFile(
              secretDir.resolve("secret-" + index++),
              PosixFilePermissions.asFileAttribute(
                  EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
      Files.writeString(file, secret.getValue());
      files.put(secret.getKey(), file);
    }
    return files;
  }

  /** Removes the folder and everything in it. */
  public void delete() throws IOException {
    deleteTree(dir);
  }

  /** Removes a file or a folder with everything in it, read-only folders included. */
  public static void deleteTree(Path tree) throws IOException {
    if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        tree,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes)
              throws IOException {
            // A context may carry folders without write permission; removing their entries
            // needs it.
            folder.toFile().setWritable(true, true);
            folder.toFile().setExecutable(true, true);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path folder, IOException failure)
              throws IOException {
            if (failure != null) {
              throw failure;
            }
            Files.delete(folder);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
