package dev.kiln.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.contracts.spec.GitSource;
import org.junit.jupiter.api.Test;

class SourceKeyTest {
  private static final Digest CONTEXT =
      Digest.parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  @Test
  void gitSourceIsItsRepositoryAndDockerfilePathWhateverTheRef() {
    SourceKey main =
        key(
            BuildSource.ofGit(new GitSource("https://git.example/app.git", "main", "svc")),
            "ci/Dockerfile");
    SourceKey tag =
        key(
            BuildSource.ofGit(new GitSource("https://git.example/app.git", "v2", "svc")),
            "ci/Dockerfile");
    SourceKey other =
        key(BuildSource.ofGit(new GitSource("https://git.example/app.git", "main", "")), null);

    assertThat(main).isEqualTo(tag);
    assertThat(main.value()).isEqualTo("git:https://git.example/app.git#svc/ci/Dockerfile");
    assertThat(other.value()).isEqualTo("git:https://git.example/app.git#Dockerfile");
  }

  @Test
  void uploadedContextIsItsDigest() {
    assertThat(key(BuildSource.ofContext(CONTEXT), null).value()).isEqualTo("context:" + CONTEXT);
  }

  @Test
  void inlineDockerfileIsAHashOfItsText() {
    SourceKey one = key(BuildSource.ofDockerfile("FROM scratch\n"), null);

    assertThat(one).isEqualTo(key(BuildSource.ofDockerfile("FROM scratch\n"), null));
    assertThat(one).isNotEqualTo(key(BuildSource.ofDockerfile("FROM busybox\n"), null));
    assertThat(one.value()).startsWith("dockerfile:sha256:");
  }

  @Test
  void catalogEntryIsItsName() {
    assertThat(key(new BuildSource(null, null, null, "base-image"), null).value())
        .isEqualTo("catalog:base-image");
  }

  private static SourceKey key(BuildSource source, String dockerfile) {
    return SourceKey.of(
        new BuildSpec(source, dockerfile, null, null, null, false, null, null, null, 0, null));
  }
}
