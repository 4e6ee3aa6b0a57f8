package dev.kiln.gateway.adapter.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.gateway.app.Failures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {
  @Test
  void misspeltNestedFieldIsNamedWithItsPath() {
    Failures.RequestRejected refused =
        refuse("{\"source\":{\"dockerfile\":\"FROM x\"},\"options\":{\"noCahce\":true}}");

    assertThat(refused.code()).isEqualTo("unknown_field");
    assertThat(refused.field()).isEqualTo("options.noCahce");
    assertThat(refused.getMessage()).contains("noCache");
  }

  @Test
  void unknownSourceKindNextToAKnownOneIsRefusedAsASourceError() {
    Failures.RequestRejected refused =
        refuse("{\"source\":{\"dockerfile\":\"FROM x\",\"svn\":\"y\"}}");

    assertThat(refused.field()).isEqualTo("source");
    assertThat(refused.getMessage()).contains("svn");
  }

  @Test
  void enumValueOutsideItsNamesListsTheNames() {
    Failures.RequestRejected refused =
        refuse("{\"source\":{\"dockerfile\":\"FROM x\"},\"options\":{\"network\":\"host\"}}");

    assertThat(refused.field()).isEqualTo("options.network");
    assertThat(refused.getMessage()).isEqualTo("'host' is not one of default, none");
  }

  @Test
  void wrongTypeIsNamedByPath() {
    Failures.RequestRejected refused =
        refuse("{\"source\":{\"dockerfile\":\"FROM x\"},\"buildArgs\":{\"A\":[1]}}");

    assertThat(refused.field()).isEqualTo("buildArgs.A");
  }

  @Test
  void trailingGarbageIsMalformed() {
    assertThat(refuse("{\"source\":{\"dockerfile\":\"FROM x\"}} {}").code())
        .isEqualTo("malformed_json");
  }

  @Test
  void validSpecIsRead() {
    BuildSpec spec =
        JsonBodies.read(
            body("{\"source\":{\"dockerfile\":\"FROM x\"},\"target\":\"final\"}"),
            null,
            1024,
            BuildSpec.class);

    assertThat(spec.target()).isEqualTo("final");
  }

  @Test
  void bodyOverTheLimitIsTooLargeEvenWithoutALength() {
    assertThat(
            catchThrowableOfType(
                Failures.UploadTooLarge.class,
                () ->
                    JsonBodies.read(
                        body("{\"a\":\"" + "x".repeat(100) + "\"}"), null, 50, BuildSpec.class)))
        .isNotNull();
  }

  private static Failures.RequestRejected refuse(String json) {
    return catchThrowableOfType(
        Failures.RequestRejected.class,
        () -> JsonBodies.read(body(json), null, 1024 * 1024, BuildSpec.class));
  }

  private static ByteArrayInputStream body(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }
}
