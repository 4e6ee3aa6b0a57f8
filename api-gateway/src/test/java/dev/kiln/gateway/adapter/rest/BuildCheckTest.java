package dev.kiln.gateway.adapter.rest;

import static dev.kiln.context.Tars.tar;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every build's Dockerfile is checked before it is queued, wherever the gateway can read it. */
@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class BuildCheckTest {
  private static ValidatableResponse submit(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/api/v1/builds").then();
  }

  private static String inline(String dockerfile) {
    return "{\"source\":{\"dockerfile\":\"" + dockerfile.replace("\n", "\\n") + "\"}}";
  }

  @Test
  void aSyntaxErrorRefusesTheBuildNamingTheLine() {
    submit(inline("FROM scratch\nRUN --mount=type=volume,target=/x true\n"))
        .statusCode(400)
        .body("error", equalTo("invalid_dockerfile"))
        .body("field", equalTo("dockerfile"))
        .body("message", containsString("line 2: unsupported mount type 'volume'"));
  }

  @Test
  void anImageTheAllowlistRefusesRefusesTheBuildNamingTheLineAndThePatterns() {
    submit(inline("ARG BASE=evil.example/base:1\nFROM ${BASE}\n"))
        .statusCode(400)
        .body("error", equalTo("base_image_not_allowed"))
        .body("field", equalTo("dockerfile"))
        .body(
            "message",
            equalTo(
                "line 2: FROM image 'evil.example/base:1' (written '${BASE}') is not allowed;"
                    + " allowed images match one of [docker.io/library/*, registry.example/**]"));
  }

  @Test
  void buildArgsAreAppliedBeforeTheAllowlistIsChecked() {
    String dockerfile = "ARG BASE=registry.example/base:1\\nFROM ${BASE}\\n";
    submit("{\"source\":{\"dockerfile\":\"" + dockerfile + "\"}}").statusCode(202);
    submit(
            "{\"source\":{\"dockerfile\":\""
                + dockerfile
                + "\"},\"buildArgs\":{\"BASE\":\"evil.example/x:1\"}}")
        .statusCode(400)
        .body("error", equalTo("base_image_not_allowed"));
  }

  @Test
  void warningsAreKeptWithTheBuildAndShownWithIt() {
    String id =
        submit(inline("FROM busybox\nRUN cd /tmp && true\n"))
            .statusCode(202)
            .body("warnings.id", hasItems("UntaggedBaseImage", "CdInsteadOfWorkdir"))
            .extract()
            .path("id");

    given()
        .get("/api/v1/builds/" + id)
        .then()
        .statusCode(200)
        .body("warnings.id", hasItems("UntaggedBaseImage", "CdInsteadOfWorkdir"))
        .body("warnings[0].severity", equalTo("warning"))
        .body("warnings[0].lines.start", equalTo(1))
        .body("warnings[1].lines.start", equalTo(2));
  }

  @Test
  void theDockerfileOfAnUploadedContextIsReadAtItsPath() {
    String digest =
        ContextApiTest.upload(
            tar()
                .file("Dockerfile", "FROM scratch\n")
                .file("./docker/Dockerfile.prod", "FROM scratch\nFROOM x\n")
                .bytes());

    submit(
            "{\"source\":{\"context\":\""
                + digest
                + "\"},\"dockerfile\":\"docker/Dockerfile.prod\"}")
        .statusCode(400)
        .body("error", equalTo("invalid_dockerfile"))
        .body("message", containsString("line 2: unknown instruction: FROOM"));
    submit("{\"source\":{\"context\":\"" + digest + "\"},\"dockerfile\":\"missing/Dockerfile\"}")
        .statusCode(400)
        .body("field", equalTo("dockerfile"))
        .body("message", containsString("has no Dockerfile at 'missing/Dockerfile'"));
    submit("{\"source\":{\"context\":\"" + digest + "\"}}").statusCode(202);
  }

  @Test
  void anUnknownTargetIsRefused() {
    submit("{\"source\":{\"dockerfile\":\"FROM scratch AS a\\n\"},\"target\":\"b\"}")
        .statusCode(400)
        .body("error", equalTo("invalid_field"))
        .body("field", equalTo("target"));
  }

  @Test
  void aFindingThatIsAnErrorRefusesTheBuild() {
    submit(inline("FROM scratch AS twice\nFROM scratch AS twice\n"))
        .statusCode(400)
        .body("error", equalTo("dockerfile_check_failed"))
        .body("message", containsString("line 2:"))
        .body("message", containsString("[DuplicateStageName]"));
    submit(inline("# check=error=true\nFROM busybox\n"))
        .statusCode(400)
        .body("error", equalTo("dockerfile_check_failed"))
        .body("message", containsString("[UntaggedBaseImage]"));
  }

  @Test
  void gitSourcesAreLeftToTheWorker() {
    submit("{\"source\":{\"git\":{\"url\":\"https://git.example/app.git\"}}}")
        .statusCode(202)
        .body("warnings", equalTo(List.of()));
  }
}
