package dev.kiln.gateway.domain;

import static dev.kiln.context.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TarContextTest {
  @Test
  void plainTarWithFilesFoldersAndInnerLinksIsAccepted() throws Exception {
    byte[] archive =
        tar()
            .file("Dockerfile", "FROM scratch\nCOPY . /\n")
            .dir("src")
            .file("src/main.c", "int main(){}")
            .symlink("src/current", "main.c")
            .symlink("up", "src/..")
            .hardlink("copy.c", "src/main.c")
            .bytes();

    TarContext.Summary summary = inspect(archive);

    assertThat(summary.gzip()).isFalse();
    assertThat(summary.entries()).isEqualTo(6);
  }

  @Test
  void gzipCompressedTarIsRecognisedByItsBytes() throws Exception {
    TarContext.Summary summary = inspect(tar().file("Dockerfile", "FROM scratch").gzipped());

    assertThat(summary.gzip()).isTrue();
    assertThat(summary.entries()).isEqualTo(1);
  }

  @Test
  void entryClimbingOutWithDotDotIsRefusedByName() {
    assertRefused(tar().file("ok", "x").file("../x", "evil").bytes(), "../x", "escapes");
  }

  @Test
  void entryWithAbsolutePathIsRefused() {
    assertRefused(tar().file("/abs", "evil").bytes(), "/abs", "absolute path");
  }

  @Test
  void symlinkPointingOutsideIsRefused() {
    assertRefused(tar().symlink("etc", "../../etc").bytes(), "etc", "points outside");
  }

  @Test
  void symlinkWithAbsoluteTargetIsRefused() {
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
    byte[] archive = tar().symlink("x", "y/..").symlink("y", ".").bytes();

    assertRefused(archive, "x", "points outside");
  }

  @Test
  void entryWrittenThroughALinkToTheRootsParentIsRefused() {
    byte[] archive = tar().symlink("x", "y/..").symlink("y", ".").file("x/evil", "x").bytes();

    assertRefused(archive, "x/evil", "escapes");
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
  void textThatIsNotATarIsRefused() {
    byte[] text = "this is not a tar archive, just some words\n".repeat(40).getBytes();

    assertThatThrownBy(() -> inspect(text))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("not a tar archive");
  }

  @Test
  void emptyBodyIsRefused() {
    assertThatThrownBy(() -> inspect(new byte[0]))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("no entries");
  }

  @Test
  void truncatedArchiveIsRefused() {
    byte[] whole = tar().file("big", "x".repeat(10_000)).bytes();
    byte[] cut = Arrays.copyOf(whole, 4_000);

    assertThatThrownBy(() -> inspect(cut)).isInstanceOf(InvalidContextException.class);
  }

  @Test
  void gzipThatIsBrokenInsideIsRefused() {
    byte[] compressed = tar().file("a", "x".repeat(5_000)).gzipped();
    byte[] broken = compressed.clone();
    for (int i = 20; i < broken.length - 10; i++) {
      broken[i] = (byte) (broken[i] ^ 0x5a);
    }

    assertThatThrownBy(() -> inspect(broken))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("gzip");
  }

  private static TarContext.Summary inspect(byte[] archive) throws InvalidContextException {
    return TarContext.inspect(new ByteArrayInputStream(archive));
  }

  private static void assertRefused(byte[] archive, String entry, String why) {
    assertThatThrownBy(() -> inspect(archive))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("'" + entry + "'")
        .hasMessageContaining(why)
        .satisfies(e -> assertThat(((InvalidContextException) e).entry()).isEqualTo(entry));
  }
}
