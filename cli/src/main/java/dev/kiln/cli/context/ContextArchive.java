package dev.kiln.cli.context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A local folder as the tar of a build context: the files a filter lets through (the folder's
 * {@code .dockerignore}), with their modes and symbolic links, in a stable order, written as it is
 * read so a large context is never held in memory.
 */
public final class ContextArchive {
  private final Path root;
  private final List<Path> entries;
  private final long contentBytes;

  private ContextArchive(Path root, List<Path> entries, long contentBytes) {
    this.root = root;
    this.entries = entries;
    this.contentBytes = contentBytes;
  }

  /**
   * Lists what goes into the context.
   *
   * @param include whether a path relative to the root, with {@code /} separators, is included
   */
  public static ContextArchive of(Path root, Predicate<String> include) throws IOException {
    List<Path> entries = new ArrayList<>();
    long[] bytes = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            if (!dir.equals(root)) {
              if (!include.test(relative(root, dir))) {
                return FileVisitResult.CONTINUE;
              }
              entries.add(dir);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (include.test(relative(root, file))) {
              entries.add(file);
              if (attributes.isRegularFile()) {
                bytes[0] += attributes.size();
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    entries.sort(Comparator.comparing(path -> relative(root, path)));
    return new ContextArchive(root, List.copyOf(entries), bytes[0]);
  }

  /** Whether the context holds this path, relative to its root. */
  public boolean contains(String relativePath) {
    return entries.stream().anyMatch(path -> relative(root, path).equals(relativePath));
  }

  /** The bytes of file content it holds, to size a progress bar. */
  public long contentBytes() {
    return contentBytes;
  }

  public int size() {
    return entries.size();
  }

  /**
   * Writes the tar.
   *
   * @param written told the running count of content bytes written
   */
  public void writeTo(OutputStream out, LongConsumer written) throws IOException {
    long done = 0;
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path path : entries) {
        String name = relative(root, path);
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
          entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
          entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (Files.isDirectory(path)) {
          entry = new TarArchiveEntry(name + "/");
        } else {
          entry = new TarArchiveEntry(name);
          entry.setSize(Files.size(path));
        }
        entry.setMode(mode(path, entry));
        entry.setModTime(Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis());
        tar.putArchiveEntry(entry);
        if (entry.isFile()) {
          done += Files.copy(path, tar);
          written.accept(done);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  private static int mode(Path path, TarArchiveEntry entry) throws IOException {
    if (entry.isSymbolicLink()) {
      return 0777;
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(path);
    } catch (UnsupportedOperationException e) {
      return entry.isDirectory() ? 0755 : 0644;
    }
    int mode = 0;
    for (PosixFilePermission permission : permissions) {
      mode |= 1 << (8 - permission.ordinal());
    }
    return mode;
  }

  static String relative(Path root, Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }
}
