package dev.kiln.e2e;

import dev.kiln.context.Tars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Build contexts as the tar files a user would upload. */
final class Contexts {
  /** The statically linked busybox of Debian's busybox-static package. */
  static final Path BUSYBOX = Path.of("/bin/busybox");

  private Contexts() {}

  /** A context holding {@code busybox} and the given Dockerfile. */
  static Path withBusybox(Path folder, String dockerfile) throws IOException {
    byte[] tar =
        Tars.tar()
            .file("busybox", Files.readAllBytes(BUSYBOX), 0755)
            .file("Dockerfile", dockerfile)
            .bytes();
    return Files.write(Files.createTempFile(folder, "context", ".tar"), tar);
  }
}
