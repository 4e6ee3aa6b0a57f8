package dev.kiln.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextWriterTest {
  @TempDir Path temp;

  @Test
  void aFolderWrittenAndUnpackedAgainHoldsWhatTheDockerignoreLetsThrough() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("project"));
    Files.writeString(folder.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
    Files.writeString(folder.resolve(".dockerignore"), "secrets\n*.log\n");
    Files.createDirectories(folder.resolve("bin"));
    Files.writeString(folder.resolve("bin/run"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        folder.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.writeString(folder.resolve("build.log"), "noise");
    Files.createDirectories(folder.resolve("secrets"));
    Files.writeString(folder.resolve("secrets/key"), "private");
    Files.createSymbolicLink(folder.resolve("run"), Path.of("bin/run"));

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    ContextWriter.Summary summary = ContextWriter.write(folder, "Dockerfile", tar);
    Path unpacked = Files.createDirectories(temp.resolve("unpacked"));
    ContextArchive.extract(new ByteArrayInputStream(tar.toByteArray()), unpacked);

    assertThat(summary.entries()).isEqualTo(5);
    assertThat(unpacked.resolve("bin/run")).hasContent("#!/bin/sh");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(unpacked.resolve("bin/run"))))
        .isEqualTo("rwxr-x---");
    assertThat(Files.readSymbolicLink(unpacked.resolve("run"))).isEqualTo(Path.of("bin/run"));
    assertThat(unpacked.resolve("Dockerfile")).exists();
    assertThat(unpacked.resolve(".dockerignore")).exists();
    assertThat(unpacked.resolve("build.log")).doesNotExist();
    assertThat(unpacked.resolve("secrets")).doesNotExist();
  }

  @Test
  void theSameFolderAlwaysMakesTheSameArchive() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("project"));
    for (String name : new String[] {"b", "a", "c/d", "c/a"}) {
      Path file = folder.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, name);
    }

    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    ContextWriter.write(folder, "Dockerfile", first);
    ContextWriter.write(folder, "Dockerfile", second);

    assertThat(first.toByteArray()).isEqualTo(second.toByteArray());
  }
}
