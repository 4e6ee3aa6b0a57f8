package dev.kiln.context;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a folder as a build context tar, leaving out what its {@code .dockerignore} excludes, the
 * way {@code docker build} sends a folder: names sorted, so the same folder always makes the same
 * archive (and the same digest once uploaded); owners zeroed; modes and modification times kept;
 * symbolic links stored as links.
 */
public final class ContextWriter {
  /**
   * What was written.
   *
   * @param entries how many entries the archive holds
   * @param fileBytes the bytes of file content in it
   */
  public record Summary(long entries, long fileBytes) {}

  private ContextWriter() {}

  /**
   * Writes the context of {@code folder} to {@code out}, which is finished but not closed.
   *
   * @param dockerfile the Dockerfile's path inside the folder, always kept
   * @throws IllegalArgumentException when the folder's {@code .dockerignore} has an invalid pattern
   */
  public static Summary write(Path folder, String dockerfile, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    long[] counts = {0, 0};
    ContextFiles.walk(
        folder,
        ContextFiles.ignoreRules(folder),
        ContextFiles.alwaysKept(dockerfile),
        entry -> {
          counts[0]++;
          counts[1] += write(tar, entry);
        });
    tar.finish();
    tar.close();
    return new Summary(counts[0], counts[1]);
  }

  private static long write(TarArchiveOutputStream tar, ContextFiles.Entry entry)
      throws IOException {
    TarArchiveEntry header =
        switch (entry.kind()) {
          case FOLDER -> new TarArchiveEntry(entry.path() + "/", true);
          case FILE -> new TarArchiveEntry(entry.path(), true);
          case SYMBOLIC_LINK -> {
            TarArchiveEntry link = new TarArchiveEntry(entry.path(), TarConstants.LF_SYMLINK, true);
            link.setLinkName(Files.readSymbolicLink(entry.file()).toString());
            yield link;
          }
        };
    Set<PosixFilePermission> permissions =
        entry.kind() == ContextFiles.Kind.SYMBOLIC_LINK
            ? Set.of()
            : Files.getPosixFilePermissions(entry.file(), LinkOption.NOFOLLOW_LINKS);
    int type =
        switch (entry.kind()) {
          case FOLDER -> 040000;
          case FILE -> 0100000;
          case SYMBOLIC_LINK -> 0120000;
        };
    header.setMode(
        type | (entry.kind() == ContextFiles.Kind.SYMBOLIC_LINK ? 0777 : bits(permissions)));
    FileTime modified = Files.getLastModifiedTime(entry.file(), LinkOption.NOFOLLOW_LINKS);
    header.setModTime(modified);
    long size = entry.kind() == ContextFiles.Kind.FILE ? Files.size(entry.file()) : 0;
    header.setSize(size);
    tar.putArchiveEntry(header);
    if (size > 0) {
      Files.copy(entry.file(), tar);
    }
    tar.closeArchiveEntry();
    return size;
  }

  private static int bits(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission permission : permissions) {
      mode |= 1 << (8 - permission.ordinal());
    }
    return mode;
  }

  /** Lets the archive finish its stream without closing the caller's. */
  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
