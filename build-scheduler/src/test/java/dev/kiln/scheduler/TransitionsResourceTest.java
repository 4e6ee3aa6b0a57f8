package dev.kiln.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.CancelRequested;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class TransitionsResourceTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void historyListsEveryMoveOfABuildInOrder() {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    String buildId = BuildIds.newId();
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            null,
            null,
            null,
            false,
            new BuildOptions(false, null, false, SchedulerFlowTest.uniquePlatform(), null),
            null,
            null,
            0,
            null);
    try (EventPublisher publisher =
        new EventPublisher(KafkaClients.producerConfig(bootstrap, "transitions-test"))) {
      publisher.publishAndWait(Envelope.of(buildId, new BuildRequested(spec, "alice")), WAIT);
      publisher.publishAndWait(Envelope.of(buildId, new CancelRequested("alice", null)), WAIT);
    }

    await().atMost(WAIT).until(() -> transitions(buildId).getList("to").size() == 2);
    JsonPath history = transitions(buildId);
    assertThat(history.getList("to")).containsExactly("QUEUED", "CANCELLED");
    assertThat(history.getList("from")).containsExactly(null, "QUEUED");
    assertThat(history.getList("reason")).containsExactly("SUBMITTED", "CANCELLED_BY_USER");
    assertThat(history.getList("attempt", Integer.class)).containsExactly(1, 1);
    assertThat(history.getString("[0].at")).isNotBlank();
  }

  @Test
  void historyOfAnUnknownBuildIsNotFound() {
    given()
        .when()
        .get("/api/v1/builds/{id}/transitions", "no-such-build")
        .then()
        .statusCode(404)
        .body("error", equalTo("not_found"))
        .body("message", equalTo("build no-such-build is not known to the scheduler"));
  }

  private static JsonPath transitions(String buildId) {
    var response = given().when().get("/api/v1/builds/{id}/transitions", buildId);
    return response.statusCode() == 200 ? response.jsonPath() : JsonPath.from("[]");
  }
}
