package dev.kiln.gateway.adapter.kafka;

import dev.kiln.contracts.Topics;
import dev.kiln.gateway.adapter.persistence.JdbcBuildStore;
import dev.kiln.gateway.app.RequestRelay;
import dev.kiln.gateway.app.StatusProjection;
import dev.kiln.gateway.config.KafkaConfig;
import dev.kiln.messaging.EventConsumer;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.messaging.OutboxRelay;
import dev.kiln.messaging.ReceivedEvent;
import dev.kiln.messaging.TopicAdmin;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The gateway's Kafka side: creates the topics, relays the outbox of build requests to {@code
 * kiln.build.requests.v1}, and feeds {@code kiln.build.status.v1} into the status projection with
 * the consumer group {@code kiln-gateway}.
 */
@ApplicationScoped
public class GatewayMessaging implements RequestRelay {
  /** The status group, named in the architecture page; it reads from the oldest record. */
  static final String STATUS_GROUP = "kiln-gateway";

  /**
   * Elects one relay among all gateway instances; derived from the table name so no other service's
   * relay in the same database contends for it.
   */
  private static final long RELAY_LOCK = "gateway.outbox".hashCode();

  private static final Logger LOG = Logger.getLogger(GatewayMessaging.class);

  private final String bootstrapServers;
  private final KafkaConfig kafka;
  private final DataSource dataSource;
  private final StatusProjection projection;

  private EventPublisher publisher;
  private volatile OutboxRelay relay;
  private EventConsumer statusConsumer;

  public GatewayMessaging(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      KafkaConfig kafka,
      DataSource dataSource,
      StatusProjection projection) {
    this.bootstrapServers = bootstrapServers;
    this.kafka = kafka;
    this.dataSource = dataSource;
    this.projection = projection;
  }

  void start(@Observes StartupEvent event) {
    TopicAdmin.ensureTopics(bootstrapServers, kafka.partitions(), kafka.replication());
    publisher = new EventPublisher(KafkaClients.producerConfig(bootstrapServers, "api-gateway"));
    relay =
        new OutboxRelay(
            dataSource, JdbcBuildStore.OUTBOX, RELAY_LOCK, publisher, Duration.ofSeconds(1));
    relay.start();
    statusConsumer =
        new EventConsumer(
            "gateway-status",
            KafkaClients.consumerConfig(bootstrapServers, STATUS_GROUP, "api-gateway-status", true),
            List.of(Topics.BUILD_STATUS),
            events -> projection.apply(events.stream().map(ReceivedEvent::envelope).toList()));
    statusConsumer.start();
    LOG.infof("relaying requests to %s and reading %s", Topics.BUILD_REQUESTS, Topics.BUILD_STATUS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (statusConsumer != null) {
      statusConsumer.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (publisher != null) {
      publisher.close();
    }
  }

  @Override
  public void wakeUp() {
    OutboxRelay current = relay;
    if (current != null) {
      current.wakeUp();
    }
  }
}
