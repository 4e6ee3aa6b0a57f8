package dev.kiln.gateway.adapter.kafka;

import dev.kiln.contracts.Topics;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.gateway.app.BuildStatusFeed;
import dev.kiln.gateway.app.BuildStore;
import dev.kiln.gateway.domain.BuildRecord;
import dev.kiln.messaging.EventConsumer;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.messaging.ReceivedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Feeds the build status feed from {@code kiln.build.status.v1} with a consumer group of this
 * gateway instance alone ({@code kiln-gateway-feed-<id>}), starting at the newest record. The
 * projection's group {@code kiln-gateway} is shared by every gateway instance, so each sees only
 * part of the changes; the feed needs all of them on every instance.
 */
@ApplicationScoped
public class StatusFeedConsumer {
  /** The prefix of each instance's own feed group. */
  static final String FEED_GROUP_PREFIX = "kiln-gateway-feed-";

  private static final Logger LOG = Logger.getLogger(StatusFeedConsumer.class);

  private final String bootstrapServers;
  private final BuildStatusFeed feed;
  private final BuildStore builds;
  private final String instanceId = UUID.randomUUID().toString().substring(0, 8);
  private EventConsumer consumer;

  public StatusFeedConsumer(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      BuildStatusFeed feed,
      BuildStore builds) {
    this.bootstrapServers = bootstrapServers;
    this.feed = feed;
    this.builds = builds;
  }

  // After GatewayMessaging, which creates the topics.
  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event)
      throws InterruptedException {
    consumer =
        new EventConsumer(
            "gateway-status-feed",
            KafkaClients.consumerConfig(
                bootstrapServers,
                FEED_GROUP_PREFIX + instanceId,
                "api-gateway-feed-" + instanceId,
                false),
            List.of(Topics.BUILD_STATUS),
            this::publish);
    consumer.start();
    // Clients may follow the feed as soon as the gateway is up; changes published before the
    // group has its partitions would not reach them.
    if (!consumer.awaitAssignment(Duration.ofSeconds(30))) {
      LOG.warn("the status feed consumer has no partitions yet; the feed lags until it has");
    }
  }

  void stop(@Observes ShutdownEvent event) {
    if (consumer != null) {
      consumer.close();
    }
  }

  private void publish(List<ReceivedEvent> events) {
    for (ReceivedEvent event : events) {
      if (event.envelope().payload() instanceof BuildStatusChanged change) {
        String buildId = event.envelope().buildId();
        // Every build's record is stored before its request is published, so it is there.
        String owner = builds.find(buildId).map(BuildRecord::owner).orElse(null);
        feed.publish(
            new BuildStatusFeed.StatusChange(
                buildId, owner, change, event.envelope().occurredAt()));
      }
    }
  }
}
