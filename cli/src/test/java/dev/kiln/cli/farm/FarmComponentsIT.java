package dev.kiln.cli.farm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FarmComponentsIT {
  @TempDir Path data;

  private FarmSettings settings() throws Exception {
    FarmSettings settings = FarmSettings.defaults(Path.of("."), data).withPortBase(24000);
    Files.createDirectories(settings.run());
    Files.createDirectories(settings.logs());
    return settings;
  }

  @Test
  void databaseKeepsItsDataAcrossRestarts() throws Exception {
    FarmSettings settings = settings();
    String url = EmbeddedDatabase.jdbcUrl(settings);
    ManagedProcess database = EmbeddedDatabase.start(settings, java());
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
      c.createStatement().execute("create table kept (v text)");
      c.createStatement().execute("insert into kept values ('still here')");
    } finally {
      database.stop(Duration.ofSeconds(30));
    }
    assertThat(database.isAlive()).isFalse();

    database = EmbeddedDatabase.start(settings, java());
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        ResultSet rows = c.createStatement().executeQuery("select v from kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("still here");
    } finally {
      database.stop(Duration.ofSeconds(30));
    }
  }

  @Test
  void brokerKeepsItsTopicsAcrossRestarts() throws Exception {
    FarmSettings settings = settings();
    Path libs = Path.of(System.getProperty("kafka.libs"));
    String java = java();
    Map<String, Object> client = Map.of("bootstrap.servers", "127.0.0.1:" + settings.kafkaPort());

    ManagedProcess broker = KafkaBrokerProcess.start(settings, libs, java);
    try (Admin admin = Admin.create(client)) {
      admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get();
    } finally {
      broker.stop(Duration.ofSeconds(30));
    }

    broker = KafkaBrokerProcess.start(settings, libs, java);
    try (Admin admin = Admin.create(client)) {
      assertThat(admin.listTopics().names().get()).contains("kept");
    } finally {
      broker.stop(Duration.ofSeconds(30));
    }
  }

  @Test
  void registryStartsWhenInstalled() throws Exception {
    FarmSettings settings = settings();
    Optional<ManagedProcess> registry = RegistryProcess.start(settings);
    try {
      registry.ifPresent(process -> assertThat(process.isAlive()).isTrue());
      assertThat(registry.isPresent()).isEqualTo(Executables.find("docker-registry").isPresent());
    } finally {
      registry.ifPresent(process -> process.stop(Duration.ofSeconds(10)));
    }
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElseThrow();
  }
}
