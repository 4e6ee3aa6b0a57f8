package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class InfrastructureSmokeTest {
  @Test
  void brokerCreatesTopics() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                "bootstrap.servers", KilnInfrastructure.broker().bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get();
      Set<String> names = admin.listTopics().names().get();
      assertThat(names).contains("smoke");
    }
  }

  @Test
  void registryAnswersTheDistributionApi() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      java.net.HttpURLConnection connection =
          (java.net.HttpURLConnection)
              java.net
                  .URI
                  .create("http://" + registry.host() + "/v2/_catalog")
                  .toURL()
                  .openConnection();
      assertThat(connection.getResponseCode()).isEqualTo(200);
    }
  }

  @Test
  void postgresAnswersQueries() throws Exception {
    PostgresServer pg = KilnInfrastructure.postgres();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        ResultSet rs = c.createStatement().executeQuery("select 40 + 2")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }
}
