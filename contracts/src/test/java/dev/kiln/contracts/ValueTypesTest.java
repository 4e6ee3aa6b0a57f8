package dev.kiln.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {
  private static final String HEX =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void digestRoundTripsThroughText() {
    Digest digest = Digest.parse("sha256:" + HEX);
    assertThat(digest.hex()).isEqualTo(HEX);
    assertThat(digest).hasToString("sha256:" + HEX);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sha256:", "sha256:abc", "md5:" + HEX, HEX, "sha256:" + "E" + "0"})
  void digestRefusesMalformedText(String text) {
    assertThatThrownBy(() -> Digest.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void imageRefWithRegistryPortAndTag() {
    ImageRef ref = ImageRef.parse("localhost:5000/team/app:1.0");
    assertThat(ref.registry()).isEqualTo("localhost:5000");
    assertThat(ref.repository()).isEqualTo("team/app");
    assertThat(ref.tag()).isEqualTo("1.0");
    assertThat(ref).hasToString("localhost:5000/team/app:1.0");
  }

  @Test
  void imageRefWithoutRegistryIsDockerHubLibrary() {
    ImageRef ref = ImageRef.parse("busybox");
    assertThat(ref.registry()).isEqualTo("docker.io");
    assertThat(ref.repository()).isEqualTo("library/busybox");
    assertThat(ref.tag()).isEqualTo("latest");
  }

  @Test
  void imageRefKeepsDigest() {
    ImageRef ref = ImageRef.parse("registry.example:5000/app@sha256:" + HEX);
    assertThat(ref.tag()).isNull();
    assertThat(ref.digest()).isEqualTo(Digest.parse("sha256:" + HEX));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "Team/App:1", "app:bad tag", "app:", "localhost:5000/", "a//b", "-app"})
  void imageRefRefusesInvalidReferences(String text) {
    assertThatThrownBy(() -> ImageRef.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void platformParsesVariant() {
    Platform platform = Platform.parse("linux/arm64/v8");
    assertThat(platform.variant()).isEqualTo("v8");
    assertThat(platform).hasToString("linux/arm64/v8");
  }

  @ParameterizedTest
  @ValueSource(strings = {"linux", "linux/", "/amd64", "linux/amd64/v8/x", "Linux/AMD64"})
  void platformRefusesMalformedText(String text) {
    assertThatThrownBy(() -> Platform.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idsMadeInTheSameMillisecondKeepTheirOrder() {
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(BuildIds.newId());
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void buildIdsAreValidAndSortByCreation() throws InterruptedException {
    String first = BuildIds.newId();
    Thread.sleep(2);
    String second = BuildIds.newId();
    assertThat(BuildIds.isValid(first)).isTrue();
    assertThat(second).isGreaterThan(first);
    assertThat(BuildIds.isValid("not-an-id")).isFalse();
  }
}
