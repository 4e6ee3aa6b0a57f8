package dev.kiln.contracts.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.ImageRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildSpecTest {
  private static final Digest CONTEXT =
      Digest.parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  @Test
  void defaultsFillWhatWasLeftOut() {
    BuildSpec spec = spec(BuildSource.ofDockerfile("FROM scratch"), List.of(), false);
    assertThat(spec.dockerfile()).isEqualTo("Dockerfile");
    assertThat(spec.options().pull()).isEqualTo(PullPolicy.MISSING);
    assertThat(spec.options().network()).isEqualTo(NetworkMode.DEFAULT);
    assertThat(spec.buildArgs()).isEmpty();
  }

  @Test
  void sourceNeedsExactlyOneKind() {
    assertThatThrownBy(() -> new BuildSource(null, null, null, null))
        .hasMessageContaining("source is empty");
    assertThatThrownBy(
            () ->
                new BuildSource(
                    new GitSource("https://example/x.git", null, null), CONTEXT, null, null))
        .hasMessageContaining("more than one");
  }

  @Test
  void inlineDockerfileMayComeWithAContext() {
    BuildSource source = new BuildSource(null, CONTEXT, "FROM scratch", null);
    assertThat(source.context()).isEqualTo(CONTEXT);
  }

  @Test
  void emptyInlineDockerfileIsRefused() {
    assertThatThrownBy(() -> BuildSource.ofDockerfile("  \n"))
        .hasMessageContaining("inline dockerfile is empty");
  }

  @Test
  void pushWithoutTagsIsRefused() {
    assertThatThrownBy(() -> spec(BuildSource.ofDockerfile("FROM scratch"), List.of(), true))
        .hasMessageContaining("push needs at least one tag");
  }

  @Test
  void dockerfilePathMustStayInsideTheContext() {
    assertThatThrownBy(() -> GitSourceWithSubdir("../up"))
        .hasMessageContaining("must not leave the context");
    assertThatThrownBy(() -> GitSourceWithSubdir("/etc")).hasMessageContaining("relative path");
  }

  @Test
  void withoutSecretValuesKeepsIdsOnly() {
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            null,
            null,
            List.of(ImageRef.parse("localhost:5000/a:1")),
            true,
            null,
            Map.of("token", "s3cr3t"),
            null,
            0,
            null);
    assertThat(spec.withoutSecretValues().secrets()).containsExactly(Map.entry("token", "*****"));
    assertThat(spec.secrets()).containsEntry("token", "s3cr3t");
  }

  @Test
  void workerLabelsDefaultToNoneAndSurviveRedaction() {
    assertThat(spec(BuildSource.ofDockerfile("FROM scratch"), List.of(), false).workerLabels())
        .isEmpty();
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            null,
            null,
            List.of(),
            false,
            null,
            Map.of("token", "s3cr3t"),
            null,
            0,
            null,
            Map.of("gpu", "true"));
    assertThat(spec.withoutSecretValues().workerLabels()).containsExactly(Map.entry("gpu", "true"));
  }

  @Test
  void workerLabelWithoutValueIsRefused() {
    Map<String, String> labels = new java.util.HashMap<>();
    labels.put("gpu", null);
    assertThatThrownBy(
            () ->
                new BuildSpec(
                    BuildSource.ofDockerfile("FROM scratch"),
                    null,
                    null,
                    null,
                    List.of(),
                    false,
                    null,
                    null,
                    null,
                    0,
                    null,
                    labels))
        .hasMessageContaining("must not be empty or null");
  }

  private static GitSource GitSourceWithSubdir(String subdir) {
    return new GitSource("https://example/x.git", "main", subdir);
  }

  private static BuildSpec spec(BuildSource source, List<ImageRef> tags, boolean push) {
    return new BuildSpec(source, null, null, null, tags, push, null, null, null, 0, null);
  }
}
