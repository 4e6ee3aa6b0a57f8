package dev.kiln.scheduler.adapter.kafka;

import dev.kiln.scheduler.app.TopicOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Answers {@link TopicOffsets} with a Kafka admin client: the watched topics' partitions and end
 * offsets, and the offsets the scheduler's group committed. Every call gives up after {@code
 * timeout}, so that a broker that is down costs the watchdog a short wait, not a stuck round.
 */
public final class KafkaTopicOffsets implements TopicOffsets, AutoCloseable {
  private final Admin admin;
  private final String group;
  private final List<String> topics;
  private final Duration timeout;

  /**
   * @param group the consumer group that applies the topics
   * @param topics the topics to watch
   * @param timeout how long one call to the broker may take
   */
  public KafkaTopicOffsets(
      String bootstrapServers, String group, List<String> topics, Duration timeout) {
    this.group = group;
    this.topics = List.copyOf(topics);
    this.timeout = timeout;
    int millis = Math.toIntExact(timeout.toMillis());
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "build-scheduler-offsets");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    this.admin = Admin.create(config);
  }

  @Override
  public Map<Partition, Long> ends() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (TopicDescription topic :
        await(admin.describeTopics(topics).allTopicNames(), "describe " + topics).values()) {
      for (TopicPartitionInfo partition : topic.partitions()) {
        partitions.add(new TopicPartition(topic.name(), partition.partition()));
      }
    }
    return offsets(partitions, OffsetSpec.latest(), "read the end offsets");
  }

  @Override
  public Map<Partition, Long> applied(Collection<Partition> partitions) {
    List<TopicPartition> asked = partitions.stream().map(KafkaTopicOffsets::kafka).toList();
    Map<TopicPartition, OffsetAndMetadata> committed =
        await(
            admin
                .listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(asked)))
                .partitionsToOffsetAndMetadata(group),
            "read the offsets of group " + group);
    Map<Partition, Long> applied = offsets(asked, OffsetSpec.earliest(), "read the first offsets");
    for (Map.Entry<TopicPartition, OffsetAndMetadata> commit : committed.entrySet()) {
      if (commit.getValue() != null) {
        applied.merge(own(commit.getKey()), commit.getValue().offset(), Math::max);
      }
    }
    return applied;
  }

  private Map<Partition, Long> offsets(
      Collection<TopicPartition> partitions, OffsetSpec spec, String what) {
    Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
    partitions.forEach(partition -> asked.put(partition, spec));
    Map<TopicPartition, ListOffsetsResultInfo> answers =
        await(admin.listOffsets(asked).all(), what);
    Map<Partition, Long> offsets = new HashMap<>();
    answers.forEach((partition, info) -> offsets.put(own(partition), info.offset()));
    return offsets;
  }

  private <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      throw new UnavailableException("cannot " + what + ": " + reason(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new UnavailableException("cannot " + what + " within " + timeout, e);
    } catch (KafkaException e) {
      throw new UnavailableException("cannot " + what + ": " + reason(e), e);
    }
  }

  private static String reason(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static TopicPartition kafka(Partition partition) {
    return new TopicPartition(partition.topic(), partition.number());
  }

  private static Partition own(TopicPartition partition) {
    return new Partition(partition.topic(), partition.partition());
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
