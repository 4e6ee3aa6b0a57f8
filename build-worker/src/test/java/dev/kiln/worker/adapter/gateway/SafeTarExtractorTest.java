package dev.kiln.worker.adapter.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTarExtractorTest {
  @TempDir Path temp;

  @Test
  void unpacksFilesFoldersLinksAndModes() throws IOException {
    Path context = folder("context");
    byte[] tar =
        tar(
            out -> {
              directory(out, "./app/", 0755);
              file(out, "./app/run.sh", "#!/bin/sh\necho hi\n", 0750);
              file(out, "Dockerfile", "FROM scratch\n", 0644);
              symlink(out, "app/current", "run.sh");
              symlink(out, "latest", "app/../app/run.sh");
              hardlink(out, "app/copy.sh", "app/run.sh");
            });

    long entries = SafeTarExtractor.extract(new ByteArrayInputStream(tar), context);

    assertThat(entries).isEqualTo(6);
    assertThat(Files.readString(context.resolve("app/run.sh"))).isEqualTo("#!/bin/sh\necho hi\n");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(context.resolve("app/run.sh"))))
        .isEqualTo("rwxr-x---");
    assertThat(Files.readSymbolicLink(context.resolve("app/current"))).isEqualTo(Path.of("run.sh"));
    assertThat(Files.readString(context.resolve("latest"))).isEqualTo("#!/bin/sh\necho hi\n");
    assertThat(Files.isSameFile(context.resolve("app/copy.sh"), context.resolve("app/run.sh")))
        .isTrue();
  }

  @Test
  void entryClimbingOutWithDotDotIsRefused() {
    assertRefused(out -> file(out, "app/../../escaped", "x", 0644), "climbs out");
  }

  @Test
  void absoluteEntryIsRefused() {
    assertRefused(out -> file(out, "/etc/escaped", "x", 0644), "absolute");
  }

  @Test
  void symlinkLeadingOutIsRefused() {
    assertRefused(out -> symlink(out, "app/etc", "../../etc"), "outside the context");
  }

  @Test
  void absoluteSymlinkIsRefused() {
    assertRefused(out -> symlink(out, "passwd", "/etc/passwd"), "outside the context");
  }

  @Test
  void writingThroughASymlinkIsRefused() {
    assertRefused(
        out -> {
          directory(out, "real/", 0755);
          symlink(out, "link", "real");
          file(out, "link/file", "x", 0644);
        },
        "through the symbolic link");
  }

  @Test
  void linksThatEscapeOnlyTogetherAreRefused() {
    // Each link stays inside when it is unpacked; only the final tree shows "up" leading out.
    assertRefused(
        out -> {
          symlink(out, "up", "here/..");
          symlink(out, "here", ".");
        },
        "outside the context");
  }

  @Test
  void hardLinkToAFileOutsideIsRefused() {
    assertRefused(out -> hardlink(out, "shadow", "../../etc/shadow"), "climbs out");
  }

  @Test
  void hardLinkReachedThroughASymlinkIsRefused() {
    assertRefused(
        out -> {
          symlink(out, "outside", ".");
          hardlink(out, "copy", "outside/Dockerfile");
        },
        "through the symbolic link");
  }

  @Test
  void nothingIsWrittenOutsideWhenAnArchiveIsRefused() throws IOException {
    Path context = folder("context");
    byte[] tar = tar(out -> file(out, "../escaped", "x", 0644));

    assertThatThrownBy(() -> SafeTarExtractor.extract(new ByteArrayInputStream(tar), context))
        .isInstanceOf(SafeTarExtractor.UnsafeEntryException.class);
    assertThat(temp.resolve("escaped")).doesNotExist();
  }

  private void assertRefused(Consumer<TarArchiveOutputStream> entries, String reason) {
    assertThatThrownBy(
            () -> SafeTarExtractor.extract(new ByteArrayInputStream(tar(entries)), folder("c")))
        .isInstanceOf(SafeTarExtractor.UnsafeEntryException.class)
        .hasMessageContaining(reason);
  }

  private Path folder(String name) {
    try {
      return Files.createDirectories(temp.resolve(name).resolve("inner"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] tar(Consumer<TarArchiveOutputStream> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      entries.accept(out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  private static void file(TarArchiveOutputStream out, String name, String text, int mode) {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(content.length);
    entry.setMode(mode);
    write(out, entry, content);
  }

  private static void directory(TarArchiveOutputStream out, String name, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setMode(040000 | mode);
    write(out, entry, null);
  }

  private static void symlink(TarArchiveOutputStream out, String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    entry.setLinkName(target);
    write(out, entry, null);
  }

  private static void hardlink(TarArchiveOutputStream out, String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    entry.setLinkName(target);
    write(out, entry, null);
  }

  private static void write(TarArchiveOutputStream out, TarArchiveEntry entry, byte[] content) {
    try {
      out.putArchiveEntry(entry);
      if (content != null) {
        out.write(content);
      }
      out.closeArchiveEntry();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
