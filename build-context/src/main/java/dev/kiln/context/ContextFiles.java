package dev.kiln.context;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The files of a build context folder that its {@code .dockerignore} lets through. As with Docker,
 * the Dockerfile and the {@code .dockerignore} itself always stay in the context, whatever the
 * rules say: the engine needs them, and it keeps them out of {@code COPY} and {@code ADD} itself.
 * Symbolic links are entries of their own, never followed.
 */
public final class ContextFiles {
  /** What an entry is. */
  public enum Kind {
    FOLDER,
    FILE,
    SYMBOLIC_LINK
  }

  /**
   * One entry of the context.
   *
   * @param path relative to the context's root, with {@code /} between names
   * @param file where it is on disk
   * @param kind what it is
   */
  public record Entry(String path, Path file, Kind kind) {}

  /** Receives the entries of a walk, parents before what they hold. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(Entry entry) throws IOException;
  }

  private ContextFiles() {}

  /**
   * The rules of the context's {@code .dockerignore}, or none when it has no such file.
   *
   * @throws IllegalArgumentException when a pattern is not valid
   */
  public static DockerIgnore ignoreRules(Path root) throws IOException {
    Path file = root.resolve(DockerIgnore.FILE_NAME);
    return Files.isRegularFile(file)
        ? DockerIgnore.parse(Files.readString(file))
        : DockerIgnore.NONE;
  }

  /** The paths that always stay: the {@code .dockerignore} and the Dockerfile. */
  public static Set<String> alwaysKept(String dockerfile) {
    return Set.of(DockerIgnore.FILE_NAME, DockerIgnore.clean(dockerfile));
  }

  /**
   * Walks the folder, names in each folder sorted, and hands on every entry the rules let through,
   * plus the {@code kept} paths. The same folder always gives the same entries in the same order.
   */
  public static void walk(Path root, DockerIgnore rules, Set<String> kept, EntryVisitor visitor)
      throws IOException {
    walkFolder(root, "", rules, cleaned(kept), visitor);
  }

  private static void walkFolder(
      Path folder, String prefix, DockerIgnore rules, Set<String> kept, EntryVisitor visitor)
      throws IOException {
    List<Path> children;
    try (var listing = Files.list(folder)) {
      children =
          listing.sorted(Comparator.comparing(child -> child.getFileName().toString())).toList();
    }
    for (Path child : children) {
      String path = prefix + child.getFileName();
      BasicFileAttributes attributes =
          Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      boolean excluded = rules.excludes(path);
      if (attributes.isDirectory()) {
        if (!excluded) {
          visitor.visit(new Entry(path, child, Kind.FOLDER));
        }
        if (!excluded || mayHoldIncluded(rules, kept, path)) {
          walkFolder(child, path + "/", rules, kept, visitor);
        }
      } else if (!excluded || kept.contains(path)) {
        if (attributes.isSymbolicLink()) {
          visitor.visit(new Entry(path, child, Kind.SYMBOLIC_LINK));
        } else if (attributes.isRegularFile()) {
          visitor.visit(new Entry(path, child, Kind.FILE));
        }
      }
    }
  }

  /** Every entry {@link #walk} hands on, in order. */
  public static List<Entry> select(Path root, DockerIgnore rules, Set<String> kept)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    walk(root, rules, kept, entries::add);
    return entries;
  }

  /**
   * Deletes what the rules leave out of a context already on disk, keeping the {@code kept} paths
   * and the folders that lead to what stays.
   *
   * @return how many files, links and folders were removed
   */
  public static long prune(Path root, DockerIgnore rules, Set<String> kept) throws IOException {
    if (rules.rules().isEmpty()) {
      return 0;
    }
    Set<String> keptPaths = cleaned(kept);
    long[] removed = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
              throws IOException {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            String path = relative(root, dir);
            if (rules.excludes(path) && !mayHoldIncluded(rules, keptPaths, path)) {
              removed[0] += Trees.delete(dir);
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            String path = relative(root, file);
            if (!keptPaths.contains(path) && rules.excludes(path)) {
              Files.delete(file);
              removed[0]++;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            if (failure != null) {
              throw failure;
            }
            if (!dir.equals(root) && rules.excludes(relative(root, dir)) && isEmpty(dir)) {
              Files.delete(dir);
              removed[0]++;
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return removed[0];
  }

  /**
   * Whether an excluded folder may still hold something that stays: an exception rule could bring
   * back an entry below it, or a kept path lies below it.
   */
  private static boolean mayHoldIncluded(DockerIgnore rules, Set<String> kept, String folder) {
    return rules.hasExceptions() || kept.stream().anyMatch(path -> path.startsWith(folder + "/"));
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static Set<String> cleaned(Set<String> paths) {
    return paths.stream().map(DockerIgnore::clean).collect(Collectors.toUnmodifiableSet());
  }

  private static String relative(Path root, Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }
}
