package dev.kiln.worker.app;

import dev.kiln.context.ContextFiles;
import dev.kiln.context.DockerIgnore;
import dev.kiln.context.Trees;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The folder of one build attempt, {@code <work>/<buildId>-<attempt>/}: its context, its
 * Dockerfile, its secrets and whatever the engine leaves there. It is removed when the attempt
 * ends.
 */
public final class Workspace {
  /**
   * A build's sources on disk.
   *
   * @param contextDir the build context, without what its {@code .dockerignore} excludes
   * @param dockerfile the Dockerfile to build
   * @param ignoreFile the {@code .dockerignore} rules the context was chosen with, if any
   */
  public record Sources(Path contextDir, Path dockerfile, Optional<Path> ignoreFile) {}

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
   * Puts the build's context and Dockerfile on disk: a git source is checked out into {@code
   * context/}; an uploaded context is fetched and unpacked there; an inline Dockerfile is written
   * to {@code context/<dockerfile>} when it comes alone, or beside the context as {@code
   * Dockerfile.inline} when it comes with one. Then what the context's {@code .dockerignore}
   * excludes is removed, as {@code docker build} would not send it.
   */
  public Sources prepare(
      BuildSpec spec,
      ContextFetcher contexts,
      RepositoryFetcher repositories,
      BuildOutput output,
      Cancellation cancellation)
      throws SourceFetchException, InterruptedException, IOException {
    BuildSource source = spec.source();
    if (source.catalog() != null) {
      throw new SourceFetchException(
          "catalog entry '" + source.catalog() + "' reached the worker without its Dockerfile",
          "Submit the build again; the gateway resolves catalog entries.",
          null);
    }
    Path context = Files.createDirectories(dir.resolve("context"));
    if (source.git() != null) {
      RepositoryFetcher.Checkout checkout =
          repositories.checkout(source.git(), context, output, cancellation);
      output.system(
          "checked out " + checkout.commit() + ": " + checkout.files() + " files and links");
    }
    if (source.context() != null) {
      output.system(
          "fetching context "
              + source.context()
              + (contexts.isCached(source.context()) ? " (from the worker's cache)" : ""));
      long entries = contexts.fetch(source.context(), context, cancellation);
      output.system("context unpacked: " + entries + " entries");
    }
    Path dockerfile;
    if (source.dockerfile() != null) {
      dockerfile =
          source.context() != null
              ? dir.resolve("Dockerfile.inline")
              : context.resolve(spec.dockerfile()).normalize();
      Files.createDirectories(dockerfile.getParent());
      Files.writeString(dockerfile, source.dockerfile());
    } else {
      dockerfile = context.resolve(spec.dockerfile()).normalize();
      if (!Files.isRegularFile(dockerfile)
          || !dockerfile.toRealPath().startsWith(context.toRealPath())) {
        throw new SourceFetchException(
            "the context has no Dockerfile at '" + spec.dockerfile() + "'",
            "Put the Dockerfile in the context or set 'dockerfile' to its path inside it.",
            null);
      }
    }
    Optional<Path> ignoreFile = ignoreFile(context, dockerfile);
    if (ignoreFile.isPresent()) {
      leaveOutIgnored(context, dockerfile, ignoreFile.get(), output);
    }
    return new Sources(context, dockerfile, ignoreFile);
  }

  /**
   * The rules that choose the context: a Dockerfile's own {@code <Dockerfile>.dockerignore} beside
   * it (as BuildKit reads it), otherwise the context's {@code .dockerignore}.
   */
  private static Optional<Path> ignoreFile(Path context, Path dockerfile) {
    Path own = dockerfile.resolveSibling(dockerfile.getFileName() + DockerIgnore.FILE_NAME);
    if (dockerfile.startsWith(context) && Files.isRegularFile(own, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(own);
    }
    Path root = context.resolve(DockerIgnore.FILE_NAME);
    return Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS)
        ? Optional.of(root)
        : Optional.empty();
  }

  private static void leaveOutIgnored(
      Path context, Path dockerfile, Path ignoreFile, BuildOutput output)
      throws IOException, SourceFetchException {
    DockerIgnore rules;
    try {
      rules = DockerIgnore.parse(Files.readString(ignoreFile));
    } catch (IllegalArgumentException | IOException e) {
      throw new SourceFetchException(
          context.relativize(ignoreFile) + " cannot be used: " + e.getMessage(),
          "Fix the pattern in the .dockerignore file.",
          e);
    }
    Set<String> kept = new HashSet<>(Set.of(context.relativize(ignoreFile).toString()));
    if (dockerfile.startsWith(context)) {
      kept.addAll(ContextFiles.alwaysKept(context.relativize(dockerfile).toString()));
    }
    long removed = ContextFiles.prune(context, rules, kept);
    output.system(
        context.relativize(ignoreFile)
            + ": "
            + rules.rules().size()
            + " rules left "
            + removed
            + " entries out of the context");
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
    Trees.delete(dir);
  }
}
