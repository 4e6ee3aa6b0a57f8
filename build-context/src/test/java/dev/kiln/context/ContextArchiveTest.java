package dev.kiln.context;

import static dev.kiln.context.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every archive is checked twice, as the gateway checks it ({@link ContextArchive#inspect}) and as
 * the worker unpacks it ({@link ContextArchive#extract}): both must decide alike.
 */
class ContextArchiveTest {
  @TempDir Path temp;

  @Test
  void filesFoldersInnerLinksAndModesAreUnpacked() throws IOException {
    byte[] archive =
        tar()
            .dir("./app/", 0750)
            .file("./app/run.sh", "#!/bin/sh\necho hi\n", 0750)
            .file("Dockerfile", "FROM scratch\n")
            .symlink("app/current", "run.sh")
            .symlink("latest", "app/../app/run.sh")
            .symlink("up", "app/..")
            .hardlink("app/copy.sh", "app/run.sh")
            .bytes();
    Path context = folder();

    assertThat(inspect(archive).entries()).isEqualTo(7);
    assertThat(ContextArchive.extract(new ByteArrayInputStream(archive), context)).isEqualTo(7);

    assertThat(context.resolve("app/run.sh")).hasContent("#!/bin/sh\necho hi");
    assertThat(mode(context.resolve("app/run.sh"))).isEqualTo("rwxr-x---");
    assertThat(mode(context.resolve("app"))).isEqualTo("rwxr-x---");
    assertThat(Files.readSymbolicLink(context.resolve("app/current"))).isEqualTo(Path.of("run.sh"));
    assertThat(context.resolve("latest")).hasContent("#!/bin/sh\necho hi");
    assertThat(Files.isSameFile(context.resolve("app/copy.sh"), context.resolve("app/run.sh")))
        .isTrue();
  }

  @Test
  void gzipCompressedArchivesAreRecognisedByTheirBytes() throws IOException {
    ContextArchive.Summary summary = inspect(tar().file("Dockerfile", "FROM scratch").gzipped());

    assertThat(summary.gzip()).isTrue();
    assertThat(summary.entries()).isEqualTo(1);
  }

  @Test
  void entryClimbingOutWithDotDotIsRefused() {
    assertRefused(tar().file("ok", "x").file("../x", "evil").bytes(), "../x", "escapes");
    assertRefused(tar().file("app/../../escaped", "x").bytes(), "app/../../escaped", "escapes");
  }

  @Test
  void entryWithAnAbsolutePathIsRefused() {
    assertRefused(tar().file("/etc/escaped", "evil").bytes(), "/etc/escaped", "absolute path");
  }

  @Test
  void symlinkPointingOutsideIsRefused() {
    assertRefused(tar().symlink("app/etc", "../../etc").bytes(), "app/etc", "points outside");
  }

  @Test
  void symlinkWithAnAbsoluteTargetIsRefused() {
    assertRefused(tar().symlink("passwd", "/etc/passwd").bytes(), "passwd", "points outside");
  }

  @Test
  void chainOfLinksThatTogetherClimbOutIsRefused() {
    // "root" leads to the context root, so "root/.." is its parent even though it looks inside.
    byte[] archive = tar().dir("a").symlink("a/root", "..").symlink("b", "a/root/..").bytes();

    assertRefused(archive, "b", "points outside");
  }

  @Test
  void linkMadeHarmfulByALaterLinkIsRefused() {
    // When "x" arrives, "y" is a plain folder and "y/.." is the root; "y" later becomes "." .
    assertRefused(tar().symlink("x", "y/..").symlink("y", ".").bytes(), "x", "points outside");
  }

  @Test
  void entryWrittenThroughALinkToTheRootsParentIsRefusedAsEscaping() {
    byte[] archive = tar().symlink("x", "y/..").symlink("y", ".").file("x/evil", "x").bytes();

    assertRefused(archive, "x/evil", "escapes");
  }

  @Test
  void entryWrittenThroughALinkInsideIsRefused() {
    byte[] archive = tar().dir("real").symlink("link", "real").file("link/file", "x").bytes();

    assertRefused(archive, "link/file", "through the symbolic link 'link'");
  }

  @Test
  void entryBelowAFileIsRefused() {
    assertRefused(tar().file("a", "x").file("a/b", "y").bytes(), "a/b", "not a folder");
  }

  @Test
  void fileReplacingAFolderIsRefused() {
    assertRefused(tar().dir("a").file("a", "x").bytes(), "a", "would replace a folder");
  }

  @Test
  void hardLinkToAFileOutsideIsRefused() {
    assertRefused(tar().file("a", "x").hardlink("h", "../x").bytes(), "h", "points outside");
  }

  @Test
  void hardLinkToAnAbsolutePathIsRefused() {
    assertRefused(tar().hardlink("shadow", "/etc/shadow").bytes(), "shadow", "points outside");
  }

  @Test
  void hardLinkReachedThroughASymlinkIsRefused() {
    byte[] archive =
        tar()
            .file("Dockerfile", "x")
            .symlink("outside", ".")
            .hardlink("copy", "outside/Dockerfile")
            .bytes();

    assertRefused(archive, "copy", "through the symbolic link 'outside'");
  }

  @Test
  void hardLinkToSomethingNotUnpackedBeforeIsRefused() {
    assertRefused(tar().hardlink("h", "later").file("later", "x").bytes(), "h", "not a file");
  }

  @Test
  void nothingIsWrittenOutsideWhenAnArchiveIsRefused() throws IOException {
    Path context = folder();
    byte[] archive = tar().file("../escaped", "x").bytes();

    assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(archive), context))
        .isInstanceOf(ContextArchive.UnsafeEntryException.class);
    assertThat(context.resolveSibling("escaped")).doesNotExist();
  }

  @Test
  void textThatIsNotATarIsRefused() {
    byte[] text = "this is not a tar archive, just some words\n".repeat(40).getBytes();

    assertThatThrownBy(() -> inspect(text)).isInstanceOf(IOException.class);
  }

  @Test
  void truncatedArchiveIsRefused() {
    byte[] whole = tar().file("big", "x".repeat(10_000)).bytes();

    assertThatThrownBy(() -> inspect(Arrays.copyOf(whole, 4_000))).isInstanceOf(IOException.class);
  }

  @Test
  void aContextIsUnpackedOnlyIntoAnEmptyFolder() throws IOException {
    Path context = folder();
    Files.writeString(context.resolve("left-over"), "x");

    assertThatThrownBy(
            () ->
                ContextArchive.extract(
                    new ByteArrayInputStream(tar().file("a", "x").bytes()), context))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ContextArchive.Summary inspect(byte[] archive) throws IOException {
    return ContextArchive.inspect(new ByteArrayInputStream(archive));
  }

  private void assertRefused(byte[] archive, String entry, String why) {
    assertThatThrownBy(() -> inspect(archive))
        .as("inspected")
        .isInstanceOf(ContextArchive.UnsafeEntryException.class)
        .hasMessageContaining("'" + entry + "'")
        .hasMessageContaining(why)
        .satisfies(
            e -> assertThat(((ContextArchive.UnsafeEntryException) e).entry()).isEqualTo(entry));
    assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(archive), folder()))
        .as("extracted")
        .isInstanceOf(ContextArchive.UnsafeEntryException.class)
        .hasMessageContaining(why);
  }

  private Path folder() throws IOException {
    return Files.createDirectories(Files.createTempDirectory(temp, "c").resolve("inner"));
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
