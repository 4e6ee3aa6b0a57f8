package dev.kiln.gateway.adapter.rest;

import static dev.kiln.context.Tars.tar;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Digest;
import dev.kiln.contracts.Topics;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.CancelRequested;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.events.LayerInfo;
import dev.kiln.gateway.KafkaProbe;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class BuildApiTest {
  private static final String INLINE =
      "{\"source\":{\"dockerfile\":\"FROM busybox\\nRUN echo hi\\n\"},"
          + "\"tags\":[\"localhost:5000/team/app:1.0\"]}";
  private static final Digest IMAGE = Digest.parse("sha256:" + "ab".repeat(32));

  @Inject DataSource dataSource;

  @Test
  void inlineDockerfileIsQueuedAndRequestedWithItsSecretsWhileTheApiShowsThemRedacted()
      throws Exception {
    String body =
        "{\"source\":{\"dockerfile\":\"FROM busybox\\nRUN --mount=type=secret,id=npm true\\n\"},"
            + "\"tags\":[\"localhost:5000/team/app:1.0\"],\"secrets\":{\"npm\":\"t0ken\"},"
            + "\"buildArgs\":{\"V\":\"1\"},\"limits\":{\"timeoutSeconds\":60}}";

    ValidatableResponse accepted =
        given()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/v1/builds")
            .then()
            .statusCode(202)
            .body("status", equalTo("QUEUED"))
            .body("attempt", equalTo(1))
            .body("owner", equalTo("anonymous"))
            .body("createdAt", notNullValue())
            .body("spec.secrets.npm", equalTo("*****"))
            .body("spec.tags[0]", equalTo("localhost:5000/team/app:1.0"));
    String id = accepted.extract().path("id");
    assertThat(accepted.extract().header("Location")).endsWith("/api/v1/builds/" + id);

    BuildRequested requested =
        KafkaProbe.awaitEvent(Topics.BUILD_REQUESTS, id, BuildRequested.class);
    assertThat(requested.spec().secrets()).containsEntry("npm", "t0ken");
    assertThat(requested.spec().buildArgs()).containsEntry("V", "1");
    assertThat(requested.owner()).isEqualTo("anonymous");

    given()
        .get("/api/v1/builds/" + id)
        .then()
        .statusCode(200)
        .body("id", equalTo(id))
        .body("status", equalTo("QUEUED"))
        .body("spec.secrets.npm", equalTo("*****"))
        .body("spec.limits.timeoutSeconds", equalTo(60))
        .body("image", nullValue());
    assertThat(storedSpec(id)).contains("npm").doesNotContain("t0ken");
  }

  @Test
  void buildOfAnUploadedContextIsAccepted() {
    String digest = ContextApiTest.upload(tar().file("Dockerfile", "FROM scratch\n").bytes());

    given()
        .contentType(ContentType.JSON)
        .body("{\"source\":{\"context\":\"" + digest + "\"},\"dockerfile\":\"Dockerfile\"}")
        .post("/api/v1/builds")
        .then()
        .statusCode(202)
        .body("spec.source.context", equalTo(digest));
  }

  @Test
  void gitSourceIsPassedThrough() {
    String id =
        submit("{\"source\":{\"git\":{\"url\":\"https://git.example/app.git\",\"ref\":\"main\"}}}");

    BuildRequested requested =
        KafkaProbe.awaitEvent(Topics.BUILD_REQUESTS, id, BuildRequested.class);
    assertThat(requested.spec().source().git().url()).isEqualTo("https://git.example/app.git");
    assertThat(requested.spec().source().git().ref()).isEqualTo("main");
  }

  static Stream<Arguments> badBuilds() {
    String unknownContext = "sha256:" + "0f".repeat(32);
    return Stream.of(
        Arguments.of("{\"source\":", "malformed_json", null),
        Arguments.of("", "malformed_json", null),
        Arguments.of("{\"dockerfile\":\"Dockerfile\"}", "invalid_field", "source"),
        Arguments.of("{\"source\":{}}", "invalid_field", "source"),
        Arguments.of("{\"source\":{\"svn\":\"x\"}}", "invalid_field", "source"),
        Arguments.of(
            "{\"source\":{\"git\":{\"url\":\"https://x/y.git\"},\"catalog\":\"base\"}}",
            "invalid_field",
            "source"),
        Arguments.of("{\"source\":{\"dockerfile\":\"   \"}}", "invalid_field", "source"),
        Arguments.of(
            "{\"source\":{\"dockerfile\":\"FROM x\"},\"tags\":[\"ok:1\",\"Bad Tag!\"]}",
            "invalid_field",
            "tags[1]"),
        Arguments.of(
            "{\"source\":{\"dockerfile\":\"FROM x\"},\"dockerFile\":\"x\"}",
            "unknown_field",
            "dockerFile"),
        Arguments.of(
            "{\"source\":{\"context\":\"" + unknownContext + "\"}}",
            "unknown_context",
            "source.context"),
        Arguments.of("{\"source\":{\"context\":\"md5:abc\"}}", "invalid_field", "source.context"),
        Arguments.of(
            "{\"source\":{\"catalog\":\"no-such-image\"}}",
            "unknown_catalog_image",
            "source.catalog"),
        Arguments.of(
            "{\"source\":{\"dockerfile\":\"FROM x\"},\"push\":true}", "invalid_field", "push"),
        Arguments.of(
            "{\"source\":{\"dockerfile\":\"FROM x\"},\"options\":{\"pull\":\"sometimes\"}}",
            "invalid_field",
            "options.pull"),
        Arguments.of(
            "{\"source\":{\"dockerfile\":\"FROM x\"},\"limits\":{\"cpus\":0}}",
            "invalid_field",
            "limits.cpus"),
        Arguments.of(
            "{\"source\":{\"git\":{\"url\":\"https://x/y.git\",\"subdir\":\"../up\"}}}",
            "invalid_field",
            "source.git.subdir"),
        Arguments.of(
            "{\"source\":{\"dockerfile\":\"FROM x\"},\"dockerfile\":\"/etc/Dockerfile\"}",
            "invalid_field",
            "dockerfile"));
  }

  @ParameterizedTest
  @MethodSource("badBuilds")
  void badBuildIsRefusedNamingWhatIsWrong(String body, String error, String field) {
    long before = buildCount();

    JsonPath answer =
        given()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/v1/builds")
            .then()
            .statusCode(400)
            .contentType(ContentType.JSON)
            .body("error", equalTo(error))
            .body("message", notNullValue())
            .extract()
            .jsonPath();

    assertThat(answer.getString("field")).isEqualTo(field);
    assertThat(buildCount()).isEqualTo(before);
  }

  @Test
  void specLargerThanOneMebibyteIsRefused() {
    String huge = "{\"source\":{\"dockerfile\":\"FROM x\\n" + "#".repeat(1024 * 1024) + "\"}}";

    given()
        .contentType(ContentType.JSON)
        .body(huge)
        .post("/api/v1/builds")
        .then()
        .statusCode(413)
        .body("error", equalTo("too_large"));
  }

  @Test
  void statusChangesFromTheSchedulerShowInTheBuild() {
    String id = submit(INLINE);

    KafkaProbe.publish(
        id,
        new BuildStatusChanged(
            BuildState.ASSIGNED,
            BuildState.RUNNING,
            1,
            "started",
            "build-worker-1",
            null,
            null,
            null));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(id).getString("status").equals("RUNNING"));
    JsonPath running = status(id);
    assertThat(running.getString("worker")).isEqualTo("build-worker-1");
    assertThat(running.getString("startedAt")).isNotNull();
    assertThat(running.getString("finishedAt")).isNull();

    ImageInfo image =
        new ImageInfo(
            IMAGE,
            IMAGE,
            List.of("localhost:5000/team/app:1.0"),
            1234,
            List.of(new LayerInfo(IMAGE, 1234, "RUN echo hi", 2)),
            false);
    KafkaProbe.publish(
        id,
        new BuildStatusChanged(
            BuildState.RUNNING, BuildState.SUCCEEDED, 1, "built", null, image, null, 42L));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(id).getString("status").equals("SUCCEEDED"));

    given()
        .get("/api/v1/builds/" + id)
        .then()
        .body("image.digest", equalTo(IMAGE.toString()))
        .body("image.pushedRefs[0]", equalTo("localhost:5000/team/app:1.0"))
        .body("image.layers[0].instruction", equalTo("RUN echo hi"))
        .body("image.size", equalTo(1234))
        .body("worker", equalTo("build-worker-1"))
        .body("finishedAt", notNullValue())
        .body("error", nullValue());
  }

  @Test
  void failedBuildShowsItsError() {
    String id = submit(INLINE);
    BuildError error =
        new BuildError(
            ErrorCategory.RUN_FAILED,
            "RUN exited with 2",
            "check the command",
            2,
            "RUN make",
            3,
            2);

    KafkaProbe.publish(
        id,
        new BuildStatusChanged(
            BuildState.RUNNING,
            BuildState.FAILED,
            1,
            "failed",
            "build-worker-1",
            null,
            error,
            10L));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(id).getString("status").equals("FAILED"));

    given()
        .get("/api/v1/builds/" + id)
        .then()
        .body("error.category", equalTo("RUN_FAILED"))
        .body("error.line", equalTo(3))
        .body("error.exitCode", equalTo(2))
        .body("error.instruction", equalTo("RUN make"));
  }

  @Test
  void listIsNewestFirstAndTheCursorContinuesIt() {
    String first = submit(INLINE);
    String second = submit(INLINE);
    String third = submit(INLINE);

    JsonPath page =
        given().get("/api/v1/builds?limit=2").then().statusCode(200).extract().jsonPath();
    assertThat(page.getList("builds.id", String.class)).containsExactly(third, second);
    assertThat(page.getString("next")).isEqualTo(second);

    JsonPath next =
        given()
            .get("/api/v1/builds?limit=2&cursor=" + page.getString("next"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(next.getList("builds.id", String.class)).first().isEqualTo(first);
  }

  @Test
  void listFiltersByStatus() {
    String id = submit(INLINE);
    KafkaProbe.publish(
        id,
        new BuildStatusChanged(
            BuildState.QUEUED, BuildState.CANCELLED, 1, "cancelled", null, null, null, null));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(id).getString("status").equals("CANCELLED"));

    List<String> statuses =
        given()
            .get("/api/v1/builds?status=cancelled&limit=500")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("builds.status", String.class);
    assertThat(statuses).isNotEmpty().containsOnly("CANCELLED");
  }

  @Test
  void listRefusesAnUnknownStatusAndABadLimit() {
    given()
        .get("/api/v1/builds?status=DONE")
        .then()
        .statusCode(400)
        .body("field", equalTo("status"));
    given().get("/api/v1/builds?limit=0").then().statusCode(400).body("field", equalTo("limit"));
    given()
        .get("/api/v1/builds?cursor=yesterday")
        .then()
        .statusCode(400)
        .body("field", equalTo("cursor"));
  }

  @Test
  void unknownOrMalformedBuildIdIsA404() {
    given()
        .get("/api/v1/builds/" + BuildIds.newId())
        .then()
        .statusCode(404)
        .contentType(ContentType.JSON)
        .body("error", equalTo("not_found"));
    given()
        .get("/api/v1/builds/not-an-id")
        .then()
        .statusCode(404)
        .body("error", equalTo("not_found"));
  }

  @Test
  void cancelRequestsTheCancellationWithItsReason() {
    String id = submit(INLINE);

    given()
        .contentType(ContentType.JSON)
        .body("{\"reason\":\"not needed\"}")
        .post("/api/v1/builds/" + id + "/cancel")
        .then()
        .statusCode(202)
        .body("id", equalTo(id));

    CancelRequested cancel =
        KafkaProbe.awaitEvent(Topics.BUILD_REQUESTS, id, CancelRequested.class);
    assertThat(cancel.reason()).isEqualTo("not needed");
    assertThat(cancel.requestedBy()).isEqualTo("anonymous");
  }

  @Test
  void cancelOfAFinishedBuildIsAConflict() {
    String id = submit(INLINE);
    KafkaProbe.publish(
        id,
        new BuildStatusChanged(
            BuildState.RUNNING, BuildState.SUCCEEDED, 1, "built", "w", null, null, 1L));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(id).getString("status").equals("SUCCEEDED"));

    given()
        .post("/api/v1/builds/" + id + "/cancel")
        .then()
        .statusCode(409)
        .body("error", equalTo("build_finished"));
    given().post("/api/v1/builds/" + BuildIds.newId() + "/cancel").then().statusCode(404);
  }

  @Test
  void retryQueuesANewBuildOfTheSameSpec() {
    String id = submit(INLINE);

    String retried =
        given()
            .post("/api/v1/builds/" + id + "/retry")
            .then()
            .statusCode(202)
            .body("status", equalTo("QUEUED"))
            .extract()
            .path("id");

    assertThat(retried).isNotEqualTo(id);
    BuildRequested requested =
        KafkaProbe.awaitEvent(Topics.BUILD_REQUESTS, retried, BuildRequested.class);
    assertThat(requested.spec().source().dockerfile()).isEqualTo("FROM busybox\nRUN echo hi\n");
    assertThat(requested.spec().tags()).hasToString("[localhost:5000/team/app:1.0]");
  }

  @Test
  void retryOfABuildWithSecretsAsksForThemAgain() {
    String id =
        submit("{\"source\":{\"dockerfile\":\"FROM x\"},\"secrets\":{\"token\":\"s3cr3t\"}}");

    given()
        .post("/api/v1/builds/" + id + "/retry")
        .then()
        .statusCode(409)
        .body("error", equalTo("secrets_required"));
  }

  @Test
  void imageArchiveUploadedByTheWorkerCanBeDownloaded() {
    String id = submit("{\"source\":{\"dockerfile\":\"FROM x\"},\"push\":false}");
    byte[] archive = tar().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}").bytes();

    given()
        .get("/api/v1/builds/" + id + "/image")
        .then()
        .statusCode(404)
        .body("error", equalTo("not_found"));
    given()
        .contentType("application/x-tar")
        .body(archive)
        .put("/internal/v1/builds/" + id + "/image")
        .then()
        .statusCode(201)
        .body("size", equalTo(archive.length));

    byte[] downloaded =
        given()
            .get("/api/v1/builds/" + id + "/image")
            .then()
            .statusCode(200)
            .contentType("application/x-tar")
            .extract()
            .asByteArray();
    assertThat(downloaded).isEqualTo(archive);
  }

  @Test
  void imageArchiveOfAnUnknownBuildIsRefused() {
    given()
        .contentType("application/x-tar")
        .body(tar().file("x", "y").bytes())
        .put("/internal/v1/builds/" + BuildIds.newId() + "/image")
        .then()
        .statusCode(404);
  }

  @Test
  void unknownApiPathsAnswerWithJson() {
    given()
        .get("/api/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType(ContentType.JSON)
        .body("error", equalTo("not_found"));
    given()
        .delete("/api/v1/builds")
        .then()
        .statusCode(405)
        .contentType(ContentType.JSON)
        .body("error", equalTo("method_not_allowed"));
  }

  @Test
  void healthIncludesTheDatabase() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem(containsString("Database")));
  }

  private static String submit(String body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/builds")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  private static JsonPath status(String id) {
    return given().get("/api/v1/builds/" + id).then().statusCode(200).extract().jsonPath();
  }

  private String storedSpec(String id) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("select spec::text from gateway.builds where id = ?")) {
      select.setObject(1, UUID.fromString(id));
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).isTrue();
        return row.getString(1);
      }
    }
  }

  private long buildCount() {
    try (Connection connection = dataSource.getConnection();
        ResultSet row =
            connection.createStatement().executeQuery("select count(*) from gateway.builds")) {
      row.next();
      return row.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
