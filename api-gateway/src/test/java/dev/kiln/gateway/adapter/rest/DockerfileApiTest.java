package dev.kiln.gateway.adapter.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class DockerfileApiTest {
  private static ValidatableResponse analyze(Map<String, Object> body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/dockerfiles/analyze")
        .then();
  }

  @Test
  void analysisNamesStagesTargetsArgsImagesStepsAndFindings() {
    String dockerfile =
        """
        ARG VERSION=3.20
        FROM alpine:${VERSION} AS build
        RUN apk add --no-cache make
        FROM scratch
        COPY --from=build /bin/busybox /busybox
        CMD /busybox sh
        """;

    analyze(Map.of("dockerfile", dockerfile, "buildArgs", Map.of("VERSION", "3.21")))
        .statusCode(200)
        .body("valid", equalTo(true))
        .body("errors", equalTo(List.of()))
        .body("analysis.target", equalTo(1))
        .body("analysis.targets", contains("build"))
        .body("analysis.stages[0].base", equalTo("alpine:3.21"))
        .body("analysis.stages[0].baseKind", equalTo("image"))
        .body("analysis.stages[1].baseKind", equalTo("scratch"))
        .body("analysis.stages[1].dependsOn", contains(0))
        .body("analysis.args[0].name", equalTo("VERSION"))
        .body("analysis.args[0].defaultValue", equalTo("3.20"))
        .body("analysis.images[0].reference", equalTo("alpine:3.21"))
        .body("analysis.images[0].written", equalTo("alpine:${VERSION}"))
        .body("analysis.steps", equalTo(5))
        .body("findings[0].id", equalTo("JSONArgsRecommended"))
        .body("findings[0].severity", equalTo("warning"))
        .body("findings[0].lines.start", equalTo(6))
        .body("findings[0].lines.end", equalTo(6))
        .body("findings[0].fix", containsString("exec form"));
  }

  @Test
  void aSyntaxErrorMakesTheDockerfileInvalidAndNamesItsLine() {
    analyze(Map.of("dockerfile", "FROM alpine:3.20\nRUN true\nCOPPY a b\n"))
        .statusCode(200)
        .body("valid", equalTo(false))
        .body("errors[0].kind", equalTo("syntax"))
        .body("errors[0].lines.start", equalTo(3))
        .body(
            "errors[0].message", equalTo("line 3: unknown instruction: COPPY (did you mean COPY?)"))
        .body("analysis", nullValue());
  }

  @Test
  void theSkipListTurnsRulesOff() {
    analyze(Map.of("dockerfile", "FROM busybox\nCMD echo\n", "skip", List.of("DL3006", "all")))
        .statusCode(200)
        .body("findings", equalTo(List.of()));
    analyze(Map.of("dockerfile", "FROM busybox\nCMD echo\n", "skip", List.of("UntaggedBaseImage")))
        .statusCode(200)
        .body("findings.id", contains("JSONArgsRecommended"));
  }

  @Test
  void anImageOutsideTheAllowlistMakesTheDockerfileInvalid() {
    analyze(Map.of("dockerfile", "FROM registry.example/base:1\nFROM evil.example/base:1\n"))
        .statusCode(200)
        .body("valid", equalTo(false))
        .body("errors[0].kind", equalTo("policy"))
        .body("errors[0].lines.start", equalTo(2))
        .body("errors[0].message", containsString("'evil.example/base:1' is not allowed"))
        .body("errors[0].message", containsString("registry.example/**"))
        .body("analysis.images.reference", hasItem("evil.example/base:1"));
  }

  @Test
  void anUnknownTargetMakesTheDockerfileInvalid() {
    analyze(Map.of("dockerfile", "FROM scratch AS one\n", "target", "two"))
        .statusCode(200)
        .body("valid", equalTo(false))
        .body("errors[0].kind", equalTo("target"))
        .body("errors[0].message", containsString("'two'"));
  }

  @Test
  void aRequestWithoutADockerfileIsRefused() {
    analyze(Map.of("target", "x"))
        .statusCode(400)
        .body("error", equalTo("invalid_field"))
        .body("field", equalTo("dockerfile"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"dockerfile\":\"FROM scratch\",\"skipp\":[]}")
        .post("/api/v1/dockerfiles/analyze")
        .then()
        .statusCode(400)
        .body("error", equalTo("unknown_field"))
        .body("field", not(nullValue()));
  }
}
