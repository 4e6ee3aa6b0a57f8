package dev.kiln.gateway.domain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The context of a catalog build as a tar archive. The same files always give the same bytes
 * (sorted entries, no times, no owners), so building an unchanged image again stores no new
 * context.
 */
public final class CatalogSnapshotTar {
  private CatalogSnapshotTar() {}

  /**
   * @param files bytes by path inside the context
   * @param executables the paths whose files are executable
   */
  public static byte[] of(SortedMap<String, byte[]> files, Set<String> executables) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
        entry.setSize(file.getValue().length);
        entry.setMode(executables.contains(file.getKey()) ? 0100755 : 0100644);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("a tar archive in memory cannot fail", e);
    }
    return bytes.toByteArray();
  }
}
