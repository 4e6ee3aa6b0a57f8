package dev.kiln.logs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class LogStoreTest {
  private static final String LONG_LINE = "0123456789abcdef".repeat(64 * 1024 / 16);
  private static final List<String> AWKWARD =
      List.of(
          "tab\there",
          "back\\slash and \\N and \\\\",
          "carriage\rreturn",
          "\\N",
          "",
          "unicode \u00e9\u4e2d\ud83d\ude00",
          "nul \0 in the middle",
          LONG_LINE,
          "tab\t" + LONG_LINE + "\\");

  @TestHTTPResource("/")
  URI base;

  @Test
  void linesAreStoredVerbatimUpToTheLongestTheWorkerSends() {
    String buildId = BuildIds.newId();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.status(BuildState.ASSIGNED, BuildState.RUNNING, 1, null);
      build.chunk(1, 1, AWKWARD, Instant.parse("2026-03-04T05:06:07.123456789Z"), true);
      build.status(BuildState.RUNNING, BuildState.SUCCEEDED, 1, (long) AWKWARD.size());
      build.flush();
    }
    BuildEvents.eventually().until(() -> page(buildId).getBoolean("complete"));
    List<String> expected = AWKWARD.stream().map(text -> text.replace('\0', '\uFFFD')).toList();

    assertThat(page(buildId).getList("lines.text", String.class)).isEqualTo(expected);
    assertThat(page(buildId).getList("lines.ts", String.class))
        .containsOnly("2026-03-04T05:06:07.123456Z");
    assertThat(page(buildId).getList("lines.stream", String.class)).containsOnly("stderr");
    assertThat(page(buildId).getList("lines.step")).containsOnly((Object) null);
    String text = given().accept("text/plain").get("/api/v1/builds/{id}/logs", buildId).asString();
    assertThat(text).isEqualTo(String.join("\n", expected) + "\n");
    StreamClient client = StreamClient.connect(base, buildId, "");
    BuildEvents.eventually().until(client::isClosed);
    assertThat(client.lines().stream().map(m -> m.get("text").asText()))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void aBatchThatOverlapsStoredLinesAddsOnlyTheNewOnesAndCountsThem() {
    String buildId = BuildIds.newId();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.chunk(1, 1, 10, false);
      build.flush();
      BuildEvents.eventually().until(() -> page(buildId).getList("lines").size() == 10);
      // As a worker's chunks read again after a crash, around lines stored meanwhile.
      build.chunk(1, 5, 15, false);
      build.chunk(1, 16, 20, true);
      build.status(BuildState.RUNNING, BuildState.SUCCEEDED, 1, null);
      build.flush();
    }
    // Complete only when the stored count reaches the final seq: a miscount never completes.
    BuildEvents.eventually().until(() -> page(buildId).getBoolean("complete"));

    assertThat(page(buildId).getList("lines.seq", Long.class))
        .isEqualTo(LongStream.rangeClosed(1, 20).boxed().toList());
  }

  private static JsonPath page(String buildId) {
    return given()
        .get("/api/v1/builds/{id}/logs", buildId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
