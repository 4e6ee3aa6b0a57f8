package dev.kiln.scheduler.adapter.kafka;

import dev.kiln.contracts.Topics;
import dev.kiln.messaging.EventConsumer;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.messaging.OutboxRelay;
import dev.kiln.messaging.TopicAdmin;
import dev.kiln.scheduler.config.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the scheduler's Kafka side with the service: creates missing topics, starts the outbox
 * relay and the consumer of requests, reports and heartbeats (group {@code kiln-scheduler}); stops
 * them with it.
 */
@Singleton
public class SchedulerMessaging {
  /** Every scheduler instance shares this group, so each partition is applied by one of them. */
  public static final String GROUP = "kiln-scheduler";

  private static final Logger LOG = Logger.getLogger(SchedulerMessaging.class);

  private final String bootstrap;
  private final KafkaSettings kafka;
  private final OutboxRelay relay;
  private final EventPublisher publisher;
  private final SchedulerEventHandler handler;
  private EventConsumer consumer;

  public SchedulerMessaging(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      KafkaSettings kafka,
      OutboxRelay relay,
      EventPublisher publisher,
      SchedulerEventHandler handler) {
    this.bootstrap = bootstrap;
    this.kafka = kafka;
    this.relay = relay;
    this.publisher = publisher;
    this.handler = handler;
  }

  void start(@Observes StartupEvent event) {
    TopicAdmin.ensureTopics(bootstrap, kafka.partitions(), kafka.replication());
    relay.start();
    consumer =
        new EventConsumer(
            "scheduler",
            KafkaClients.consumerConfig(bootstrap, GROUP, "build-scheduler", true),
            List.of(Topics.BUILD_REQUESTS, Topics.BUILD_REPORTS, Topics.WORKER_HEARTBEATS),
            handler);
    consumer.start();
    LOG.infof("consuming requests, reports and heartbeats from %s", bootstrap);
  }

  void stop(@Observes ShutdownEvent event) {
    if (consumer != null) {
      consumer.close();
    }
    relay.close();
    publisher.close();
  }
}
