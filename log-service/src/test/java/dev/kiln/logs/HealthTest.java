package dev.kiln.logs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class HealthTest {
  @Test
  void serviceIsUp() {
    given().when().get("/q/health").then().statusCode(200).body("status", is("UP"));
  }

  @Test
  void readinessIncludesTheDatabase() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.name", hasItem("Database connections health check"))
        .body("checks.find { it.name == 'Database connections health check' }.status", is("UP"));
  }

  @Test
  void unknownPathsAnswerWithJson() {
    given()
        .when()
        .get("/api/v1/nothing-here")
        .then()
        .statusCode(404)
        .body("error", is("not_found"));
  }
}
