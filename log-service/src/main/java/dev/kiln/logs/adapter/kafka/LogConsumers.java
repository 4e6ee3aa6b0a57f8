package dev.kiln.logs.adapter.kafka;

import dev.kiln.contracts.Topics;
import dev.kiln.logs.app.LiveFeed;
import dev.kiln.logs.app.LogIngest;
import dev.kiln.logs.config.KafkaSettings;
import dev.kiln.logs.config.LogServiceConfig;
import dev.kiln.logs.domain.LogBatch;
import dev.kiln.logs.domain.LogEvent;
import dev.kiln.messaging.EventConsumer;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.messaging.ReceivedEvent;
import dev.kiln.messaging.TopicAdmin;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The two consumers of log-service. {@code kiln-log-service} stores every log, step and status
 * event, committing offsets only after the batch is stored. {@code kiln-log-service-live-<id>}, a
 * group of this instance alone starting at the newest record, hands the same events to this
 * instance's live streams.
 */
@ApplicationScoped
public class LogConsumers {
  /** The group that stores events; shared by every instance. */
  public static final String STORE_GROUP = "kiln-log-service";

  /** The prefix of each instance's own live group. */
  public static final String LIVE_GROUP_PREFIX = "kiln-log-service-live-";

  private static final Logger LOG = Logger.getLogger(LogConsumers.class);
  private static final int STORE_FETCH_BYTES = 8 * 1024 * 1024;

  /** The topics read, by both groups. */
  static final List<String> TOPICS =
      List.of(Topics.BUILD_LOGS, Topics.BUILD_STEPS, Topics.BUILD_STATUS);

  private final String bootstrapServers;
  private final KafkaSettings kafka;
  private final String instanceId;
  private final LogIngest ingest;
  private final LiveFeed feed;
  private final KafkaStoreProgress progress;
  private EventConsumer store;
  private EventConsumer live;

  public LogConsumers(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      KafkaSettings kafka,
      LogServiceConfig config,
      LogIngest ingest,
      LiveFeed feed,
      KafkaStoreProgress progress) {
    this.bootstrapServers = bootstrapServers;
    this.kafka = kafka;
    this.instanceId =
        config.instanceId().orElseGet(() -> UUID.randomUUID().toString().substring(0, 8));
    this.ingest = ingest;
    this.feed = feed;
    this.progress = progress;
  }

  void start(@Observes StartupEvent startup) throws InterruptedException {
    TopicAdmin.ensureTopics(bootstrapServers, kafka.partitions(), kafka.replication());
    Map<String, Object> storeConfig =
        KafkaClients.consumerConfig(
            bootstrapServers, STORE_GROUP, "log-service-store-" + instanceId, true);
    // Larger polls make fewer, larger transactions: each costs a commit and a Kafka commit.
    storeConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, STORE_FETCH_BYTES);
    storeConfig.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * STORE_FETCH_BYTES);
    store =
        new EventConsumer(
            "log-store", storeConfig, TOPICS, events -> ingest.store(buildEvents(events)));
    live =
        new EventConsumer(
            "log-live",
            KafkaClients.consumerConfig(
                bootstrapServers,
                LIVE_GROUP_PREFIX + instanceId,
                "log-service-live-" + instanceId,
                false),
            TOPICS,
            // Records of builds no stream of this instance follows are not even decoded.
            feed::follows,
            events -> buildEvents(events).forEach(e -> feed.publish(e.buildId(), e.event())));
    store.start();
    live.start();
    // Live streams may start as soon as the service is up; until the live group has its
    // partitions they would only learn from the database.
    if (!live.awaitAssignment(Duration.ofSeconds(30))) {
      LOG.warn("the live consumer has no partitions yet; live streams lag until it has");
    }
    LOG.infof("consuming %s as %s and %s%s", TOPICS, STORE_GROUP, LIVE_GROUP_PREFIX, instanceId);
  }

  void stop(@Observes ShutdownEvent shutdown) {
    if (live != null) {
      live.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static List<LogBatch.BuildEvent> buildEvents(List<ReceivedEvent> received) {
    List<LogBatch.BuildEvent> events = new ArrayList<>(received.size());
    for (ReceivedEvent event : received) {
      String buildId = event.envelope().buildId();
      LogEvent.of(event.envelope())
          .ifPresent(logEvent -> events.add(new LogBatch.BuildEvent(buildId, logEvent)));
    }
    return events;
  }
}
