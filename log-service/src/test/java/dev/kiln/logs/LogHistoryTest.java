package dev.kiln.logs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class LogHistoryTest {

  @Test
  void publishedLinesAreReadBackAsPagesAndAsText() {
    String buildId = BuildIds.newId();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.status(BuildState.ASSIGNED, BuildState.RUNNING, 1, null);
      for (long from = 1; from <= 250; from += 50) {
        build.chunk(1, from, from + 49, from + 49 == 250);
      }
      build.status(BuildState.RUNNING, BuildState.SUCCEEDED, 1, 250L);
      build.flush();
    }
    BuildEvents.eventually().until(() -> page(buildId, "after=200").getBoolean("complete"));

    JsonPath first = page(buildId, "limit=100");
    assertThat(first.getInt("attempt")).isEqualTo(1);
    assertThat(first.getList("lines.seq", Long.class)).isEqualTo(range(1, 100));
    assertThat(first.getLong("next")).isEqualTo(100);
    assertThat(first.getBoolean("complete")).isFalse();
    assertThat(first.getString("lines[0].text")).isEqualTo(BuildEvents.text(1));
    assertThat(first.getString("lines[0].stream")).isEqualTo("stdout");
    assertThat(first.getInt("lines[0].step")).isEqualTo(1);
    assertThat(first.getString("lines[0].ts")).endsWith("Z");

    JsonPath last = page(buildId, "after=200");
    assertThat(last.getList("lines.seq", Long.class)).isEqualTo(range(201, 250));
    assertThat(last.getLong("next")).isEqualTo(250);

    String text =
        given()
            .accept("text/plain")
            .get("/api/v1/builds/{id}/logs", buildId)
            .then()
            .statusCode(200)
            .contentType(containsString("text/plain"))
            .extract()
            .asString();
    assertThat(text.lines().toList())
        .isEqualTo(LongStream.rangeClosed(1, 250).mapToObj(BuildEvents::text).toList());
  }

  @Test
  void aChunkPublishedTwiceIsStoredOnce() {
    String buildId = BuildIds.newId();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.chunk(1, 1, 10, false);
      build.chunk(1, 1, 10, false);
      build.chunk(1, 11, 20, true);
      build.chunk(1, 11, 20, true);
      build.status(BuildState.RUNNING, BuildState.FAILED, 1, 20L);
      build.flush();
    }
    BuildEvents.eventually().until(() -> page(buildId, "").getBoolean("complete"));

    assertThat(page(buildId, "").getList("lines.seq", Long.class)).isEqualTo(range(1, 20));
  }

  @Test
  void aBuildCancelledWhileQueuedHasACompleteEmptyLog() {
    String buildId = BuildIds.newId();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.status(null, BuildState.QUEUED, 1, null);
      build.status(BuildState.QUEUED, BuildState.CANCELLED, 1, null);
      build.flush();
    }
    BuildEvents.eventually().until(() -> page(buildId, "").getBoolean("complete"));

    JsonPath page = page(buildId, "after=7");
    assertThat(page.getList("lines")).isEmpty();
    assertThat(page.getLong("next")).isEqualTo(7);
  }

  @Test
  void stepsMergeTheirStartAndFinish() {
    String buildId = BuildIds.newId();
    try (BuildEvents build = new BuildEvents(buildId)) {
      build.chunk(1, 1, 9, false);
      build.stepStarted(1, 1);
      build.stepFinished(1, 4, false);
      build.stepStarted(2, 5);
      build.stepFinished(2, 8, true);
      build.stepStarted(3, 9);
      build.flush();
    }
    BuildEvents.eventually()
        .until(
            () -> steps(buildId).getList("steps").size() == 3 && finishedSeq(buildId, 1) != null);

    JsonPath steps = steps(buildId);
    assertThat(steps.getList("steps.status")).isEqualTo(List.of("done", "failed", "running"));
    assertThat(steps.getList("steps.instruction"))
        .isEqualTo(List.of("RUN step 1", "RUN step 2", "RUN step 3"));
    assertThat(steps.getList("steps.startedSeq", Long.class)).isEqualTo(List.of(1L, 5L, 9L));
    assertThat(steps.getList("steps.finishedSeq", Long.class))
        .isEqualTo(java.util.Arrays.asList(4L, 8L, null));
    assertThat(steps.getList("steps.durationMs", Long.class))
        .isEqualTo(java.util.Arrays.asList(12L, 12L, null));
    assertThat(steps.getInt("steps[0].line")).isEqualTo(2);
    assertThat(steps.getInt("steps[0].total")).isEqualTo(3);
  }

  @Test
  void anUnknownBuildIsNotFound() {
    given()
        .get("/api/v1/builds/{id}/logs", BuildIds.newId())
        .then()
        .statusCode(404)
        .contentType(containsString("application/json"))
        .body("error", is("build_not_found"));
    given()
        .accept("text/plain")
        .get("/api/v1/builds/{id}/logs", BuildIds.newId())
        .then()
        .statusCode(404)
        .body("error", is("build_not_found"));
    given()
        .get("/api/v1/builds/{id}/steps", BuildIds.newId())
        .then()
        .statusCode(404)
        .body("error", is("build_not_found"));
  }

  @Test
  void badParametersAreRefusedNamingTheParameter() {
    String id = BuildIds.newId();
    given()
        .get("/api/v1/builds/{id}/logs?after=-1", id)
        .then()
        .statusCode(400)
        .body("error", is("bad_parameter"))
        .body("field", is("after"));
    given()
        .get("/api/v1/builds/{id}/logs?after=abc", id)
        .then()
        .statusCode(400)
        .body("field", is("after"));
    given()
        .get("/api/v1/builds/{id}/logs?limit=10001", id)
        .then()
        .statusCode(400)
        .body("field", is("limit"))
        .body("message", containsString("10000"));
    given()
        .get("/api/v1/builds/{id}/logs?limit=0", id)
        .then()
        .statusCode(400)
        .body("field", is("limit"));
  }

  private static JsonPath page(String buildId, String query) {
    return given()
        .get("/api/v1/builds/{id}/logs" + (query.isEmpty() ? "" : "?" + query), buildId)
        .then()
        .statusCode(200)
        .contentType(containsString("application/json"))
        .extract()
        .jsonPath();
  }

  private static JsonPath steps(String buildId) {
    return given()
        .get("/api/v1/builds/{id}/steps", buildId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static Long finishedSeq(String buildId, int step) {
    return steps(buildId).getObject("steps[" + (step - 1) + "].finishedSeq", Long.class);
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
