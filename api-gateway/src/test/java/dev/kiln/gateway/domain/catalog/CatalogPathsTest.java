package dev.kiln.gateway.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CatalogPathsTest {
  @ParameterizedTest
  @ValueSource(strings = {"web", "team.web-2", "a_b", "0day"})
  void namesOfLowerCaseLettersDigitsDotsDashesAndUnderscoresAreAccepted(String name) {
    assertThat(CatalogPaths.requireName(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "..", "a..b", "-web", "Web", "web space", "a\\b"})
  void namesThatCouldLeaveTheirFolderOrLookOddAreRefused(String name) {
    assertThatThrownBy(() -> CatalogPaths.requireName(name))
        .isInstanceOf(InvalidCatalogPathException.class)
        .extracting("field")
        .isEqualTo("name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "README.md", "build.yaml", "context/a", "context/x/y.txt"})
  void theImagesOwnFilesAreAccepted(String path) {
    assertThat(CatalogPaths.requireFile(path)).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../other/Dockerfile",
        "context/../../x",
        "/etc/passwd",
        "context//a",
        "context/./a",
        "notes.txt",
        "context/.git/config",
        "context",
        "Dockerfile/x"
      })
  void pathsOutsideTheImagesFilesAreRefused(String path) {
    assertThatThrownBy(() -> CatalogPaths.requireFile(path))
        .isInstanceOf(InvalidCatalogPathException.class)
        .extracting("field")
        .isEqualTo("path");
  }
}
