package dev.kiln.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextFilesTest {
  @TempDir Path root;

  @BeforeEach
  void aProject() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("src/main.c", "int main(){}\n");
    write("src/generated/out.o", "object");
    write("node_modules/pad/index.js", "pad");
    write("docs/README.md", "readme");
    write("docs/NOTES.md", "notes");
    Files.createSymbolicLink(root.resolve("latest"), Path.of("src/main.c"));
  }

  @Test
  void withoutDockerignoreEverythingIsSelectedInNameOrder() throws IOException {
    assertThat(paths(ContextFiles.ignoreRules(root)))
        .containsExactly(
            "Dockerfile",
            "docs",
            "docs/NOTES.md",
            "docs/README.md",
            "latest",
            "node_modules",
            "node_modules/pad",
            "node_modules/pad/index.js",
            "src",
            "src/generated",
            "src/generated/out.o",
            "src/main.c");
  }

  @Test
  void excludedFoldersAndFilesAreLeftOutAndExceptionsComeBack() throws IOException {
    write(".dockerignore", "node_modules\n**/*.o\ndocs\n!docs/README.md\n");

    assertThat(paths(ContextFiles.ignoreRules(root)))
        .containsExactly(
            ".dockerignore",
            "Dockerfile",
            "docs/README.md",
            "latest",
            "src",
            "src/generated",
            "src/main.c");
  }

  @Test
  void theDockerfileAndTheDockerignoreStayEvenWhenExcluded() throws IOException {
    write(".dockerignore", "*\n");
    write("build/Dockerfile.ci", "FROM scratch\n");

    assertThat(
            ContextFiles.select(
                    root,
                    ContextFiles.ignoreRules(root),
                    ContextFiles.alwaysKept("./build/Dockerfile.ci"))
                .stream()
                .map(ContextFiles.Entry::path))
        .containsExactly(".dockerignore", "build/Dockerfile.ci");
  }

  @Test
  void linksAreEntriesOfTheirOwnAndNotFollowed() throws IOException {
    Files.createSymbolicLink(root.resolve("outside"), Path.of("/etc"));

    assertThat(ContextFiles.select(root, DockerIgnore.NONE, ContextFiles.alwaysKept("Dockerfile")))
        .filteredOn(entry -> entry.path().equals("outside"))
        .singleElement()
        .extracting(ContextFiles.Entry::kind)
        .isEqualTo(ContextFiles.Kind.SYMBOLIC_LINK);
  }

  @Test
  void pruningDeletesWhatIsExcludedAndKeepsTheRest() throws IOException {
    write(".dockerignore", "node_modules\n**/*.o\ndocs\n!docs/README.md\nDockerfile\n");

    long removed =
        ContextFiles.prune(
            root, ContextFiles.ignoreRules(root), ContextFiles.alwaysKept("Dockerfile"));

    assertThat(removed).isEqualTo(5);
    assertThat(root.resolve("node_modules")).doesNotExist();
    assertThat(root.resolve("src/generated/out.o")).doesNotExist();
    assertThat(root.resolve("docs/NOTES.md")).doesNotExist();
    assertThat(root.resolve("docs/README.md")).exists();
    assertThat(root.resolve("Dockerfile")).exists();
    assertThat(root.resolve("src/main.c")).exists();
  }

  private java.util.List<String> paths(DockerIgnore rules) throws IOException {
    return ContextFiles.select(root, rules, ContextFiles.alwaysKept("Dockerfile")).stream()
        .map(ContextFiles.Entry::path)
        .toList();
  }

  private void write(String path, String text) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
