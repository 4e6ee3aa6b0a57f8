package dev.kiln.gateway.adapter.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class SubmissionFailureTest {
  @Inject DataSource dataSource;

  @Test
  void buildWhoseRequestCannotBeStoredIsRefusedWith503AndLeavesNoRecord() throws SQLException {
    long before = count("select count(*) from gateway.builds");
    execute("alter table gateway.outbox rename to outbox_gone");
    try {
      given()
          .contentType(ContentType.JSON)
          .body("{\"source\":{\"dockerfile\":\"FROM scratch\\n\"}}")
          .post("/api/v1/builds")
          .then()
          .statusCode(503)
          .contentType(ContentType.JSON)
          .body("error", equalTo("unavailable"));
    } finally {
      execute("alter table gateway.outbox_gone rename to outbox");
    }

    assertThat(count("select count(*) from gateway.builds")).isEqualTo(before);
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.createStatement().execute(sql);
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        ResultSet row = connection.createStatement().executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
