package dev.kiln.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Build contexts as the tar files a user would upload. */
final class Contexts {
  /** The statically linked busybox of Debian's busybox-static package. */
  static final Path BUSYBOX = Path.of("/bin/busybox");

  private Contexts() {}

  /** A context holding {@code busybox} and the given Dockerfile. */
  static Path withBusybox(Path folder, String dockerfile) throws IOException {
    Path tar = Files.createTempFile(folder, "context", ".tar");
    try (OutputStream file = Files.newOutputStream(tar);
        TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry busybox = new TarArchiveEntry("busybox");
      busybox.setSize(Files.size(BUSYBOX));
      busybox.setMode(0755);
      out.putArchiveEntry(busybox);
      Files.copy(BUSYBOX, out);
      out.closeArchiveEntry();
      byte[] text = dockerfile.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry("Dockerfile");
      entry.setSize(text.length);
      entry.setMode(0644);
      out.putArchiveEntry(entry);
      out.write(text);
      out.closeArchiveEntry();
    }
    return tar;
  }
}
