package dev.kiln.gateway.adapter.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The web UI, built into the gateway by the Maven build, as a browser fetches it. */
@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class WebUiTest {

  @ParameterizedTest
  @ValueSource(strings = {"/", "/builds/new", "/builds/019a0000-0000-7000-8000-000000000000"})
  void everyPageOfTheUiGetsTheUiPageUncached(String path) {
    given()
        .get(path)
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .header("Cache-Control", "no-cache")
        .body(containsString("<div id=\"root\"></div>"));
  }

  @Test
  void theScriptThePageNamesIsServed() {
    String page = given().get("/").then().statusCode(200).extract().asString();
    Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(page);
    assertThat(script.find()).as(page).isTrue();

    given().get(script.group(1)).then().statusCode(200).contentType(containsString("javascript"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/nothing-here", "/internal/v1/nothing-here", "/api"})
  void apiPathsStillAnswerJson404(String path) {
    given()
        .get(path)
        .then()
        .statusCode(404)
        .contentType(containsString("application/json"))
        .body("error", equalTo("not_found"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/q/nothing-here", "/assets/missing.js", "/favicon.ico"})
  void filesAndQuarkusPathsThatDoNotExistAreNotTheUiPage(String path) {
    given().get(path).then().statusCode(404).body(not(containsString("<div id=\"root\">")));
  }
}
