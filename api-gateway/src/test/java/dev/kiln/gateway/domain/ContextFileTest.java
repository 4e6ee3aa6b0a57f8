package dev.kiln.gateway.domain;

import static dev.kiln.context.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContextFileTest {
  private static Optional<String> read(byte[] archive, String path) throws IOException {
    return ContextFile.read(new ByteArrayInputStream(archive), path, 1024)
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  @Test
  void aFileIsFoundWhateverWayItsPathIsWritten() throws IOException {
    byte[] archive = tar().dir("./docker").file("./docker/Dockerfile", "FROM scratch\n").bytes();

    assertThat(read(archive, "docker/Dockerfile")).contains("FROM scratch\n");
    assertThat(read(archive, "./docker//Dockerfile")).contains("FROM scratch\n");
    assertThat(read(archive, "docker")).isEmpty();
    assertThat(read(archive, "Dockerfile")).isEmpty();
  }

  @Test
  void gzipArchivesAreReadAndALaterEntryWins() throws IOException {
    byte[] archive = tar().file("Dockerfile", "FROM a\n").file("Dockerfile", "FROM b\n").gzipped();

    assertThat(read(archive, "Dockerfile")).contains("FROM b\n");
  }

  @Test
  void aFileOverTheLimitIsNotRead() {
    byte[] archive = tar().file("Dockerfile", "#".repeat(2000)).bytes();

    assertThatThrownBy(() -> read(archive, "Dockerfile")).isInstanceOf(IOException.class);
  }

  @Test
  void aCatalogSnapshotAlwaysGivesTheSameBytes() {
    var files = new java.util.TreeMap<String, byte[]>();
    files.put("b.txt", "b".getBytes(StandardCharsets.UTF_8));
    files.put("a/run.sh", "echo".getBytes(StandardCharsets.UTF_8));

    byte[] once = CatalogSnapshotTar.of(files, java.util.Set.of("a/run.sh"));
    byte[] again =
        CatalogSnapshotTar.of(new java.util.TreeMap<>(files), java.util.Set.of("a/run.sh"));

    assertThat(once).isEqualTo(again);
  }
}
