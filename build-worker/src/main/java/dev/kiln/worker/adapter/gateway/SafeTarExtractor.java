package dev.kiln.worker.adapter.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar stream into a folder without letting any entry land outside it. Entry names that
 * are absolute or climb with {@code ..} are refused; nothing is ever written through a symbolic
 * link; hard links must name a regular file inside the folder; and once everything is unpacked,
 * every symbolic link is resolved against the final tree (following the links it passes) and
 * refused when it leads out. Devices and FIFOs are skipped: a build context has no use for them.
 */
public final class SafeTarExtractor {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final int MAX_LINK_HOPS = 40;

  /** An entry that would leave the folder it is unpacked into. */
  public static final class UnsafeEntryException extends IOException {
    public UnsafeEntryException(String message) {
      super(message);
    }
  }

  private record FolderTimes(Path folder, Set<PosixFilePermission> mode, FileTime modified) {}

  private final Path root;
  private final List<FolderTimes> folders = new ArrayList<>();
  private long entries;

  private SafeTarExtractor(Path root) {
    this.root = root;
  }

  /**
   * Unpacks {@code tar} into {@code folder}, which must exist. The stream is read up to the end of
   * the archive and not closed.
   *
   * @return how many entries were unpacked
   * @throws UnsafeEntryException when an entry would land outside the folder
   */
  public static long extract(InputStream tar, Path folder) throws IOException {
    SafeTarExtractor extractor = new SafeTarExtractor(folder.toRealPath());
    extractor.unpack(tar);
    extractor.checkLinks();
    extractor.restoreFolders();
    return extractor.entries;
  }

  private void unpack(InputStream tar) throws IOException {
    // Not closed: closing would close the caller's stream, which it still reads to the end.
    TarArchiveInputStream in = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name());
    TarArchiveEntry entry;
    while ((entry = in.getNextEntry()) != null) {
      String name = entryName(entry.getName());
      if (name.isEmpty()) {
        continue;
      }
      Path target = inside(name, entry.getName());
      prepareParents(target, entry.getName());
      if (entry.isDirectory()) {
        unpackFolder(entry, target);
      } else if (entry.isSymbolicLink()) {
        unpackSymbolicLink(entry, target);
      } else if (entry.isLink()) {
        unpackHardLink(entry, target);
      } else if (entry.isFile()) {
        clear(target, entry.getName());
        Files.copy(in, target);
        Files.setPosixFilePermissions(target, mode(entry.getMode()));
        Files.setLastModifiedTime(target, FileTime.from(entry.getModTime().toInstant()));
      } else {
        continue;
      }
      entries++;
    }
  }

  private void unpackFolder(TarArchiveEntry entry, Path target) throws IOException {
    if (!Files.isDirectory(target, NOFOLLOW)) {
      clear(target, entry.getName());
      Files.createDirectory(target);
    }
    folders.add(
        new FolderTimes(
            target, mode(entry.getMode()), FileTime.from(entry.getModTime().toInstant())));
  }

  private void unpackSymbolicLink(TarArchiveEntry entry, Path target) throws IOException {
    String link = entry.getLinkName();
    if (link.isEmpty() || link.startsWith("/")) {
      throw new UnsafeEntryException(
          "'" + entry.getName() + "' links to '" + link + "', outside the context");
    }
    Path lexical;
    try {
      lexical = target.getParent().resolve(link).normalize();
    } catch (InvalidPathException e) {
      throw new UnsafeEntryException("'" + entry.getName() + "' has an invalid link target");
    }
    if (!lexical.startsWith(root)) {
      throw new UnsafeEntryException(
          "'" + entry.getName() + "' links to '" + link + "', outside the context");
    }
    clear(target, entry.getName());
    Files.createSymbolicLink(target, Path.of(link));
  }

  private void unpackHardLink(TarArchiveEntry entry, Path target) throws IOException {
    String linked = entryName(entry.getLinkName());
    if (linked.isEmpty()) {
      throw new UnsafeEntryException("'" + entry.getName() + "' is a hard link to nothing");
    }
    Path source = inside(linked, entry.getLinkName());
    requireNoLinkOnTheWay(source, entry.getLinkName());
    if (!Files.isRegularFile(source, NOFOLLOW)) {
      throw new UnsafeEntryException(
          "'"
              + entry.getName()
              + "' is a hard link to '"
              + entry.getLinkName()
              + "', which is not a file unpacked before it");
    }
    clear(target, entry.getName());
    Files.createLink(target, source);
  }

  /** The entry's path below the root, refusing absolute names and {@code ..}. */
  private Path inside(String name, String original) throws UnsafeEntryException {
    if (name.startsWith("/")) {
      throw new UnsafeEntryException("'" + original + "' is an absolute path");
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw new UnsafeEntryException("'" + original + "' climbs out of the context with '..'");
      }
    }
    Path target;
    try {
      target = root.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new UnsafeEntryException("'" + original + "' is not a valid path");
    }
    if (!target.startsWith(root) || target.equals(root)) {
      throw new UnsafeEntryException("'" + original + "' lands outside the context");
    }
    return target;
  }

  /**
   * Creates the entry's missing parent folders; an existing symbolic link on the way is refused.
   */
  private void prepareParents(Path target, String original) throws IOException {
    Path current = root;
    for (Path part : root.relativize(target.getParent())) {
      if (part.toString().isEmpty()) {
        continue;
      }
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw new UnsafeEntryException(
            "'" + original + "' would be written through the symbolic link '" + part + "'");
      }
      if (!Files.exists(current, NOFOLLOW)) {
        Files.createDirectory(current);
      } else if (!Files.isDirectory(current, NOFOLLOW)) {
        throw new UnsafeEntryException("'" + original + "' needs '" + part + "' to be a folder");
      }
    }
  }

  private void requireNoLinkOnTheWay(Path path, String original) throws UnsafeEntryException {
    Path current = root;
    for (Path part : root.relativize(path.getParent())) {
      if (part.toString().isEmpty()) {
        continue;
      }
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw new UnsafeEntryException(
            "'" + original + "' is reached through the symbolic link '" + part + "'");
      }
    }
  }

  /** Makes room for an entry, refusing to replace a folder with something else. */
  private static void clear(Path target, String original) throws IOException {
    if (Files.isDirectory(target, NOFOLLOW)) {
      throw new UnsafeEntryException("'" + original + "' would replace a folder");
    }
    Files.deleteIfExists(target);
  }

  /** Follows every symbolic link in the final tree and refuses any that leads outside it. */
  private void checkLinks() throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            if (attributes.isSymbolicLink()) {
              resolveInside(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private void resolveInside(Path link) throws IOException {
    Deque<String> resolved = new ArrayDeque<>();
    for (Path part : root.relativize(link.getParent())) {
      if (!part.toString().isEmpty()) {
        resolved.addLast(part.toString());
      }
    }
    Deque<String> pending = new ArrayDeque<>();
    prepend(pending, Files.readSymbolicLink(link));
    int hops = 0;
    while (!pending.isEmpty()) {
      String part = pending.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (resolved.isEmpty()) {
          throw new UnsafeEntryException(
              "'" + root.relativize(link) + "' resolves to a path outside the context");
        }
        resolved.removeLast();
        continue;
      }
      resolved.addLast(part);
      Path current = root.resolve(String.join("/", resolved));
      if (Files.isSymbolicLink(current)) {
        if (++hops > MAX_LINK_HOPS) {
          throw new UnsafeEntryException("'" + root.relativize(link) + "' is a loop of links");
        }
        resolved.removeLast();
        prepend(pending, Files.readSymbolicLink(current));
      }
    }
  }

  private static void prepend(Deque<String> pending, Path target) throws UnsafeEntryException {
    if (target.isAbsolute()) {
      throw new UnsafeEntryException("a link to '" + target + "' leaves the context");
    }
    List<String> parts = new ArrayList<>();
    target.forEach(part -> parts.add(part.toString()));
    for (String part : parts.reversed()) {
      pending.addFirst(part);
    }
  }

  /** Sets folder modes and times last, since unpacking into a folder changes both. */
  private void restoreFolders() throws IOException {
    for (FolderTimes folder : folders.reversed()) {
      Files.setPosixFilePermissions(folder.folder(), folder.mode());
      Files.setLastModifiedTime(folder.folder(), folder.modified());
    }
  }

  private static String entryName(String name) {
    String trimmed = name;
    while (trimmed.startsWith("./")) {
      trimmed = trimmed.substring(2);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.equals(".") ? "" : trimmed;
  }

  private static Set<PosixFilePermission> mode(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < bits.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(bits[bit]);
      }
    }
    return permissions;
  }
}
