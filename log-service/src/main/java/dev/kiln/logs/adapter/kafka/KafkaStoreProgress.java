package dev.kiln.logs.adapter.kafka;

import dev.kiln.logs.app.StoreProgress;
import dev.kiln.logs.config.LogServiceConfig;
import dev.kiln.messaging.ReceivedEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The store's progress in Kafka's terms. A mark is the end offset, now, of the partition a build's
 * records go to on each topic log-service reads (records are keyed by build id, so a build's
 * records all go to one partition per topic). The store has passed a mark once the {@code
 * kiln-log-service} group stored everything below it: known at once for the batches this instance
 * stores, and from the group's committed offsets, read every {@code kiln.logs.store-poll-interval}
 * while a stream waits, for the partitions other instances store.
 */
@ApplicationScoped
public class KafkaStoreProgress implements StoreProgress {
  private static final Logger LOG = Logger.getLogger(KafkaStoreProgress.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  private record KafkaMark(Map<TopicPartition, Long> ends) implements Mark {}

  private final Admin admin;
  private final Duration pollInterval;
  private final Map<TopicPartition, Long> stored = new ConcurrentHashMap<>();
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
  private final Set<Runnable> waiters = ConcurrentHashMap.newKeySet();
  private final Object pollerLock = new Object();
  private final Thread poller;
  private volatile boolean running = true;

  public KafkaStoreProgress(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      LogServiceConfig config) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "log-service-store-progress",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) ASK_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) ASK_TIMEOUT.toMillis()));
    this.pollInterval = config.storePollInterval();
    this.poller = Thread.ofVirtual().name("store-progress").start(this::pollWhileAwaited);
  }

  @Override
  public Optional<Mark> mark(String buildId) {
    try {
      byte[] key = buildId.getBytes(StandardCharsets.UTF_8);
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (String topic : LogConsumers.TOPICS) {
        int partition = Utils.toPositive(Utils.murmur2(key)) % partitionCount(topic);
        ends.put(new TopicPartition(topic, partition), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets =
          admin
              .listOffsets(ends, new ListOffsetsOptions().timeoutMs((int) ASK_TIMEOUT.toMillis()))
              .all()
              .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> mark = new HashMap<>();
      offsets.forEach((partition, info) -> mark.put(partition, info.offset()));
      return Optional.of(new KafkaMark(mark));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      LOG.debugf("cannot read where the event log of build %s ends: %s", buildId, e.toString());
      return Optional.empty();
    }
  }

  @Override
  public boolean covers(Mark mark) {
    for (Map.Entry<TopicPartition, Long> end : ((KafkaMark) mark).ends().entrySet()) {
      if (end.getValue() > 0 && stored.getOrDefault(end.getKey(), -1L) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void wake(Runnable nudge) {
    waiters.add(nudge);
    synchronized (pollerLock) {
      pollerLock.notifyAll();
    }
  }

  @Override
  public void stopWaking(Runnable nudge) {
    waiters.remove(nudge);
  }

  /** Notes a batch this instance stored: every record up to the last of each partition. */
  void stored(List<ReceivedEvent> batch) {
    Map<TopicPartition, Long> next = new HashMap<>();
    for (ReceivedEvent event : batch) {
      next.merge(
          new TopicPartition(event.topic(), event.partition()), event.offset() + 1, Math::max);
    }
    advance(next);
  }

  private void advance(Map<TopicPartition, Long> offsets) {
    boolean moved = false;
    for (Map.Entry<TopicPartition, Long> offset : offsets.entrySet()) {
      Long before = stored.get(offset.getKey());
      if (before == null || before < offset.getValue()) {
        stored.merge(offset.getKey(), offset.getValue(), Math::max);
        moved = true;
      }
    }
    if (moved) {
      waiters.forEach(Runnable::run);
    }
  }

  private int partitionCount(String topic) throws Exception {
    Integer known = partitionCounts.get(topic);
    if (known != null) {
      return known;
    }
    TopicDescription description =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .get(topic);
    int count = description.partitions().size();
    partitionCounts.put(topic, count);
    return count;
  }

  /** Reads the store group's committed offsets now and then, while any stream waits for them. */
  private void pollWhileAwaited() {
    while (running) {
      try {
        synchronized (pollerLock) {
          while (running && waiters.isEmpty()) {
            pollerLock.wait();
          }
        }
        if (!running) {
          return;
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets =
            admin
                .listConsumerGroupOffsets(LogConsumers.STORE_GROUP)
                .partitionsToOffsetAndMetadata()
                .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        offsets.forEach(
            (partition, offset) -> {
              if (offset != null) {
                committed.put(partition, offset.offset());
              }
            });
        advance(committed);
        Thread.sleep(pollInterval);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        LOG.debugf("cannot read the store group's offsets: %s", e.toString());
        try {
          Thread.sleep(pollInterval);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  @PreDestroy
  void close() {
    running = false;
    poller.interrupt();
    admin.close(Duration.ofSeconds(5));
  }
}
