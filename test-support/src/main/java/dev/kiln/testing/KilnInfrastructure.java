package dev.kiln.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts one Kafka broker and one PostgreSQL server for a test JVM and points the Quarkus service
 * under test at them. Both stay up until the JVM ends, so every {@code @QuarkusTest} class of a
 * module shares them.
 */
public class KilnInfrastructure implements QuarkusTestResourceLifecycleManager {
  private static KafkaBroker broker;
  private static PostgresServer postgres;

  /** The broker of this test JVM, started on first use. */
  public static synchronized KafkaBroker broker() {
    if (broker == null) {
      broker = KafkaBroker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
    }
    return broker;
  }

  /** The PostgreSQL server of this test JVM, started on first use. */
  public static synchronized PostgresServer postgres() {
    if (postgres == null) {
      postgres = PostgresServer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
    }
    return postgres;
  }

  @Override
  public Map<String, String> start() {
    return Map.of(
        "kafka.bootstrap.servers", broker().bootstrapServers(),
        "quarkus.datasource.jdbc.url", postgres().jdbcUrl(),
        "quarkus.datasource.username", postgres().user(),
        "quarkus.datasource.password", postgres().password());
  }

  @Override
  public void stop() {
    // Shared by every test class of the JVM; the shutdown hooks stop them.
  }
}
