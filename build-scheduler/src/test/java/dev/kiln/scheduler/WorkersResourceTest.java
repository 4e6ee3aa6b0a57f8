package dev.kiln.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.kiln.contracts.Platform;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class WorkersResourceTest {
  @Test
  void workerThatSendsHeartbeatsIsListedAlive() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    Platform platform = SchedulerFlowTest.uniquePlatform();
    String workerId = "listed-" + UUID.randomUUID();
    try (EventPublisher publisher =
            new EventPublisher(KafkaClients.producerConfig(bootstrap, "workers-test"));
        TestWorker worker = new TestWorker(publisher, workerId, platform, 3)) {
      worker.startHeartbeats();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> workers().getList("id").contains(workerId));
      String path = "find { it.id == '" + workerId + "' }";
      JsonPath listed = workers();
      assertThat(listed.getString(path + ".platform")).isEqualTo(platform.toString());
      assertThat(listed.getInt(path + ".slots")).isEqualTo(3);
      assertThat(listed.getInt(path + ".running")).isZero();
      assertThat(listed.getBoolean(path + ".alive")).isTrue();
      assertThat(listed.getString(path + ".lastSeen")).isNotBlank();
    }
  }

  @Test
  void readinessIncludesTheDatabase() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", is("UP"))
        .body("checks.status", hasItem(equalTo("UP")))
        .body("checks.name", hasItem(equalTo("Database connections health check")));
  }

  private static JsonPath workers() {
    return given().when().get("/api/v1/workers").then().statusCode(200).extract().jsonPath();
  }
}
