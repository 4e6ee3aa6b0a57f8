package dev.kiln.gateway.domain;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Checks that an uploaded build context is a tar archive (plain or gzip-compressed) that a worker
 * can unpack without writing anywhere but inside the folder it unpacks into: no absolute names, no
 * name that climbs out with {@code ..}, no link whose target lies outside.
 */
public final class TarContext {
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  private TarContext() {}

  /**
   * What a valid context holds.
   *
   * @param gzip whether the archive is gzip-compressed, told by its first two bytes
   * @param entries how many entries it has
   */
  public record Summary(boolean gzip, int entries) {}

  /**
   * Reads a whole archive, compressed or not, and checks every entry.
   *
   * @throws InvalidContextException naming the first offending entry, or the broken archive
   */
  public static Summary inspect(InputStream raw) throws InvalidContextException {
    BufferedInputStream in = new BufferedInputStream(raw);
    boolean gzip;
    try {
      in.mark(2);
      gzip = in.read() == GZIP_MAGIC_1 && in.read() == GZIP_MAGIC_2;
      in.reset();
    } catch (IOException e) {
      throw new InvalidContextException("the context cannot be read: " + e.getMessage(), null);
    }
    try {
      InputStream tarBytes = gzip ? new GzipCompressorInputStream(in, true) : in;
      TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
      ContextTree tree = new ContextTree();
      int entries = 0;
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        check(tree, entry);
        entries++;
      }
      if (entries == 0) {
        throw new InvalidContextException(
            "the context is not a tar archive, or an empty one: it has no entries", null);
      }
      // A gzip stream's checksum sits at its very end, after the tar's end marker.
      tarBytes.transferTo(OutputStream.nullOutputStream());
      recheckSymlinks(tree);
      return new Summary(gzip, entries);
    } catch (IOException e) {
      throw new InvalidContextException(
          (gzip
                  ? "the context is not a valid gzip-compressed tar archive: "
                  : "the context is not a tar archive: ")
              + e.getMessage(),
          null);
    }
  }

  private static void check(ContextTree tree, TarArchiveEntry entry)
      throws InvalidContextException {
    String name = entry.getName();
    List<String> parts =
        ContextTree.components(name)
            .orElseThrow(
                () ->
                    new InvalidContextException(
                        "entry '"
                            + name
                            + "' has an absolute path; names in a context are relative to its root",
                        name));
    if (entry.isSymbolicLink()) {
      ContextTree.Resolution location = require(tree.resolve(parts, false), name);
      if (location.path().isEmpty()) {
        throw new InvalidContextException(
            "symbolic link '" + name + "' would replace the context's root", name);
      }
      String target = entry.getLinkName();
      requireLinkInside(tree, location.path(), target, "symbolic link '" + name + "'", name);
      tree.addSymlink(location.path(), target);
    } else if (entry.isLink()) {
      require(tree.resolve(parts, true), name);
      String target = entry.getLinkName();
      List<String> targetParts =
          ContextTree.components(target)
              .orElseThrow(() -> outside("hard link '" + name + "'", target, name));
      if (!tree.resolve(targetParts, true).inside()) {
        throw outside("hard link '" + name + "'", target, name);
      }
    } else {
      require(tree.resolve(parts, true), name);
    }
  }

  /**
   * Links added later can change where an earlier link leads (a link through a folder that later
   * becomes a link itself), so every link is followed again once all are known.
   */
  private static void recheckSymlinks(ContextTree tree) throws InvalidContextException {
    for (Map.Entry<String, String> link : tree.symlinks().entrySet()) {
      List<String> location = List.of(link.getKey().split("/"));
      requireLinkInside(
          tree, location, link.getValue(), "symbolic link '" + link.getKey() + "'", link.getKey());
    }
  }

  private static void requireLinkInside(
      ContextTree tree, List<String> location, String target, String what, String entry)
      throws InvalidContextException {
    if (target.startsWith("/")) {
      throw outside(what, target, entry);
    }
    List<String> path = new ArrayList<>(location.subList(0, location.size() - 1));
    path.addAll(List.of(target.split("/")));
    if (tree.resolve(path, true).escape() == ContextTree.Escape.OUTSIDE) {
      throw outside(what, target, entry);
    }
  }

  private static ContextTree.Resolution require(ContextTree.Resolution resolution, String name)
      throws InvalidContextException {
    if (resolution.escape() == ContextTree.Escape.OUTSIDE) {
      throw new InvalidContextException("entry '" + name + "' escapes the context", name);
    }
    if (resolution.escape() == ContextTree.Escape.LOOP) {
      throw new InvalidContextException(
          "entry '" + name + "' goes through a loop of symbolic links", name);
    }
    return resolution;
  }

  private static InvalidContextException outside(String what, String target, String entry) {
    return new InvalidContextException(
        what + " points outside the context (to '" + target + "')", entry);
  }
}
