package dev.kiln.logs;

import static io.restassured.RestAssured.given;
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
}
