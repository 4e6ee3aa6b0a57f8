package dev.kiln.context;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A build context as a tar archive, checked so that unpacking it can write nowhere but inside the
 * folder it is unpacked into. The gateway checks every upload with {@link #inspect}; the worker
 * unpacks with {@link #extract}; both apply the same rules, so whatever the gateway accepts the
 * worker can unpack:
 *
 * <ul>
 *   <li>no absolute entry names, and no name that leaves the context with {@code ..}, counting the
 *       links it passes the way the kernel does;
 *   <li>nothing written through a symbolic link, and nothing below a file;
 *   <li>a symbolic link must lead inside the context, following the other links on its way, once
 *       every link of the archive is known (a later link can change where an earlier one leads);
 *   <li>a hard link must name a file that came earlier in the archive, not through a link;
 *   <li>a folder is never replaced by something else.
 * </ul>
 *
 * Devices and FIFOs are skipped: a build context has no use for them.
 */
public final class ContextArchive {
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  /** An entry that would land, or lead, outside the context. */
  public static final class UnsafeEntryException extends IOException {
    private final String entry;

    public UnsafeEntryException(String message, String entry) {
      super(message);
      this.entry = entry;
    }

    /** The offending entry's name as the archive spells it. */
    public String entry() {
      return entry;
    }
  }

  /**
   * What a checked archive holds.
   *
   * @param gzip whether it is gzip-compressed, told by its first two bytes
   * @param entries how many entries it has
   */
  public record Summary(boolean gzip, long entries) {}

  private record FolderTimes(Path folder, Set<PosixFilePermission> mode, FileTime modified) {}

  private final ContextTree tree = new ContextTree();
  private final Path root;
  private final List<FolderTimes> folders = new ArrayList<>();
  private long entries;

  private ContextArchive(Path root) {
    this.root = root;
  }

  /**
   * Reads a whole archive, gzip-compressed or not, and checks every entry without writing anything.
   *
   * @throws UnsafeEntryException naming the first offending entry
   * @throws IOException when the stream is not a readable (compressed) tar archive; the message
   *     says which
   */
  public static Summary inspect(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw);
    boolean gzip = isGzip(in);
    ContextArchive archive = new ContextArchive(null);
    try {
      InputStream tar = gzip ? gunzip(in) : in;
      archive.read(tar);
      // A gzip stream's checksum sits at its very end, after the tar's end marker.
      tar.transferTo(OutputStream.nullOutputStream());
    } catch (UnsafeEntryException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(
          (gzip ? "not a valid gzip-compressed tar archive: " : "not a tar archive: ")
              + e.getMessage(),
          e);
    }
    archive.recheckSymlinks();
    return new Summary(gzip, archive.entries);
  }

  /**
   * Unpacks an uncompressed tar stream into {@code folder}, which must exist and be empty. The
   * stream is read up to the end of the archive and not closed.
   *
   * @return how many entries the archive has
   * @throws UnsafeEntryException when an entry would land or lead outside the folder; what was
   *     unpacked before it stays for the caller to remove
   */
  public static long extract(InputStream tar, Path folder) throws IOException {
    Path root = folder.toRealPath();
    try (var existing = Files.list(root)) {
      if (existing.findAny().isPresent()) {
        throw new IllegalArgumentException("a context is unpacked into an empty folder: " + root);
      }
    }
    ContextArchive archive = new ContextArchive(root);
    archive.read(tar);
    archive.recheckSymlinks();
    archive.restoreFolders();
    return archive.entries;
  }

  /** Whether the stream starts like gzip; the stream must support mark and reset. */
  public static boolean isGzip(BufferedInputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2;
  }

  /** A stream of the decompressed bytes, across concatenated gzip members. */
  public static InputStream gunzip(InputStream in) throws IOException {
    return GzipCompressorInputStream.builder()
        .setInputStream(in)
        .setDecompressConcatenated(true)
        .get();
  }

  private void read(InputStream tar) throws IOException {
    // Not closed: closing would close the caller's stream, which it may still read to the end.
    TarArchiveInputStream in = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name());
    for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
      entries++;
      String name = entry.getName();
      List<String> parts =
          ContextTree.components(name)
              .orElseThrow(
                  () ->
                      new UnsafeEntryException(
                          "entry '"
                              + name
                              + "' has an absolute path; names in a context are relative to its"
                              + " root",
                          name));
      if (parts.isEmpty() && !entry.isSymbolicLink()) {
        continue;
      }
      if (entry.isSymbolicLink()) {
        symbolicLink(entry, location(parts, name));
      } else if (entry.isLink()) {
        hardLink(entry, location(parts, name));
      } else if (entry.isDirectory()) {
        folder(entry, location(parts, name));
      } else if (entry.isFile()) {
        file(entry, location(parts, name), in);
      }
    }
  }

  /**
   * Where an entry lands: inside the context, reached through folders only. The links the path
   * passes are followed first, so a name that escapes through them is named as escaping.
   */
  private List<String> location(List<String> parts, String name) throws UnsafeEntryException {
    ContextTree.Resolution resolution = tree.resolve(parts, false);
    if (resolution.escape() == ContextTree.Escape.OUTSIDE) {
      throw new UnsafeEntryException("entry '" + name + "' escapes the context", name);
    }
    if (resolution.escape() == ContextTree.Escape.LOOP) {
      throw new UnsafeEntryException(
          "entry '" + name + "' goes through a loop of symbolic links", name);
    }
    List<String> location = lexical(parts, name, "entry '" + name + "' escapes the context");
    requireFoldersOnTheWay(location, name, "entry '" + name + "' would be written");
    return location;
  }

  private List<String> lexical(List<String> parts, String entry, String escapes)
      throws UnsafeEntryException {
    List<String> location = new ArrayList<>();
    for (String part : parts) {
      if (part.equals("..")) {
        if (location.isEmpty()) {
          throw new UnsafeEntryException(escapes, entry);
        }
        location.removeLast();
      } else {
        location.add(part);
      }
    }
    return location;
  }

  private void requireFoldersOnTheWay(List<String> location, String entry, String what)
      throws UnsafeEntryException {
    Optional<String> blocker = tree.firstNonFolderOnTheWay(location);
    if (blocker.isPresent()) {
      boolean link =
          tree.kindAt(List.of(blocker.get().split("/"))).orElseThrow()
              == ContextTree.Kind.SYMBOLIC_LINK;
      throw new UnsafeEntryException(
          link
              ? what + " through the symbolic link '" + blocker.get() + "'"
              : what + " below '" + blocker.get() + "', which is not a folder",
          entry);
    }
  }

  private void symbolicLink(TarArchiveEntry entry, List<String> location) throws IOException {
    String name = entry.getName();
    String what = "symbolic link '" + name + "'";
    if (location.isEmpty()) {
      throw new UnsafeEntryException(what + " would replace the context's root", name);
    }
    String target = entry.getLinkName();
    if (target.isEmpty()) {
      throw new UnsafeEntryException(what + " has no target", name);
    }
    requireLinkInside(location, target, what, name);
    Path file = clear(location, name);
    tree.add(location, ContextTree.Kind.SYMBOLIC_LINK, target);
    if (file != null) {
      Files.createSymbolicLink(file, Path.of(target));
    }
  }

  private void hardLink(TarArchiveEntry entry, List<String> location) throws IOException {
    String name = entry.getName();
    String what = "hard link '" + name + "'";
    String target = entry.getLinkName();
    List<String> targetParts =
        ContextTree.components(target).orElseThrow(() -> outside(what, target, name));
    List<String> source = lexical(targetParts, name, outside(what, target, name).getMessage());
    requireFoldersOnTheWay(source, name, what + " points to '" + target + "'");
    if (tree.kindAt(source).orElse(null) != ContextTree.Kind.FILE) {
      throw new UnsafeEntryException(
          what + " points to '" + target + "', which is not a file earlier in the archive", name);
    }
    Path file = clear(location, name);
    tree.add(location, ContextTree.Kind.FILE, null);
    if (file != null) {
      Files.createLink(file, at(source));
    }
  }

  private void folder(TarArchiveEntry entry, List<String> location) throws IOException {
    Path folder = at(location);
    if (tree.kindAt(location).orElse(null) != ContextTree.Kind.FOLDER) {
      if (folder != null) {
        Files.deleteIfExists(folder);
        Files.createDirectories(folder);
      }
      tree.add(location, ContextTree.Kind.FOLDER, null);
    }
    if (folder != null) {
      folders.add(
          new FolderTimes(
              folder, mode(entry.getMode()), FileTime.from(entry.getModTime().toInstant())));
    }
  }

  private void file(TarArchiveEntry entry, List<String> location, InputStream in)
      throws IOException {
    Path file = clear(location, entry.getName());
    tree.add(location, ContextTree.Kind.FILE, null);
    if (file != null) {
      Files.copy(in, file);
      Files.setPosixFilePermissions(file, mode(entry.getMode()));
      Files.setLastModifiedTime(file, FileTime.from(entry.getModTime().toInstant()));
    }
  }

  /**
   * Makes room for a non-folder entry, refusing to replace a folder.
   *
   * @return where to write it, or {@code null} when only checking
   */
  private Path clear(List<String> location, String name) throws IOException {
    if (tree.kindAt(location).orElse(null) == ContextTree.Kind.FOLDER) {
      throw new UnsafeEntryException("entry '" + name + "' would replace a folder", name);
    }
    Path file = at(location);
    if (file != null) {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
    }
    return file;
  }

  private Path at(List<String> location) {
    return root == null ? null : root.resolve(String.join("/", location));
  }

  private void requireLinkInside(List<String> location, String target, String what, String entry)
      throws UnsafeEntryException {
    if (target.startsWith("/")) {
      throw outside(what, target, entry);
    }
    List<String> path = new ArrayList<>(location.subList(0, location.size() - 1));
    path.addAll(List.of(target.split("/")));
    if (tree.resolve(path, true).escape() == ContextTree.Escape.OUTSIDE) {
      throw outside(what, target, entry);
    }
  }

  /**
   * Links added later can change where an earlier link leads (a link through a folder that later
   * becomes a link itself), so every link is followed again once all are known.
   */
  private void recheckSymlinks() throws UnsafeEntryException {
    for (Map.Entry<String, String> link : tree.symlinks().entrySet()) {
      List<String> location = List.of(link.getKey().split("/"));
      requireLinkInside(
          location, link.getValue(), "symbolic link '" + link.getKey() + "'", link.getKey());
    }
  }

  /** Folder modes and times last, since unpacking into a folder changes its time. */
  private void restoreFolders() throws IOException {
    for (FolderTimes folder : folders.reversed()) {
      if (Files.isDirectory(folder.folder(), LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(folder.folder(), folder.mode());
        Files.setLastModifiedTime(folder.folder(), folder.modified());
      }
    }
  }

  private static UnsafeEntryException outside(String what, String target, String entry) {
    return new UnsafeEntryException(
        what + " points outside the context (to '" + target + "')", entry);
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
