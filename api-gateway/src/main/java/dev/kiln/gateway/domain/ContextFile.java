package dev.kiln.gateway.domain;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Finds one regular file in a context archive (plain or gzip-compressed tar) by its path. */
public final class ContextFile {
  private ContextFile() {}

  /**
   * The bytes of the file at {@code path} (relative to the context's root, {@code ./} and repeated
   * slashes allowed), or empty when the archive has no regular file there.
   *
   * @param limit the most bytes read; a larger file is an {@link IOException}
   */
  public static Optional<byte[]> read(InputStream raw, String path, int limit) throws IOException {
    String wanted = normalize(path);
    BufferedInputStream in = new BufferedInputStream(raw);
    in.mark(2);
    boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
    in.reset();
    InputStream tarBytes = gzip ? new GzipCompressorInputStream(in, true) : in;
    TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
    byte[] found = null;
    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
      if (!entry.isFile() || !normalize(entry.getName()).equals(wanted)) {
        continue;
      }
      if (entry.getSize() > limit) {
        throw new IOException(path + " is larger than " + limit + " bytes");
      }
      // A later entry of the same name replaces an earlier one when the archive is unpacked.
      found = tar.readNBytes((int) entry.getSize());
    }
    return Optional.ofNullable(found);
  }

  private static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }
}
