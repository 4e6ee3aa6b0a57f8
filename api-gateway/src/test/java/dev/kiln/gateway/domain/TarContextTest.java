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

  // Which entries are refused is ContextArchive's to say, and ContextArchiveTest's to check: this
  // checks only that a refusal reaches the gateway as an InvalidContextException naming the entry.
  @Test
  void entryClimbingOutWithDotDotIsRefusedByName() {
    assertRefused(tar().file("ok", "x").file("../x", "evil").bytes(), "../x", "escapes");
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
