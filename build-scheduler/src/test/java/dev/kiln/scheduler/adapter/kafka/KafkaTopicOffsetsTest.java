package dev.kiln.scheduler.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.scheduler.app.TopicOffsets;
import dev.kiln.scheduler.app.TopicOffsets.Partition;
import dev.kiln.testing.KilnInfrastructure;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The admin-client side of the heartbeat horizon, against the test JVM's real broker. */
class KafkaTopicOffsetsTest {
  private final String bootstrap = KilnInfrastructure.broker().bootstrapServers();
  private final String topic = "offsets-test-" + UUID.randomUUID();
  private final String group = "offsets-test-" + UUID.randomUUID();

  @Test
  void endsAreTheNextOffsetsAndAppliedIsWhatTheGroupCommitted() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        KafkaTopicOffsets offsets =
            new KafkaTopicOffsets(bootstrap, group, List.of(topic), Duration.ofSeconds(10))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      write(0, 3);
      write(1, 2);
      admin
          .alterConsumerGroupOffsets(
              group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(3)))
          .all()
          .get();

      Map<Partition, Long> ends = offsets.ends();
      assertThat(ends).containsOnly(Map.entry(p(0), 3L), Map.entry(p(1), 2L));
      assertThat(offsets.applied(ends.keySet()))
          .as("the group committed nothing on partition 1")
          .containsOnly(Map.entry(p(0), 3L), Map.entry(p(1), 0L));

      admin
          .deleteRecords(Map.of(new TopicPartition(topic, 1), RecordsToDelete.beforeOffset(2)))
          .all()
          .get();
      assertThat(offsets.applied(ends.keySet()))
          .as("records deleted unread are none left to apply")
          .containsOnly(Map.entry(p(0), 3L), Map.entry(p(1), 2L));
    }
  }

  @Test
  void brokerThatDoesNotAnswerIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (KafkaTopicOffsets offsets =
        new KafkaTopicOffsets(
            "127.0.0.1:" + closedPort, group, List.of(topic), Duration.ofMillis(500))) {
      assertThatThrownBy(offsets::ends).isInstanceOf(TopicOffsets.UnavailableException.class);
      assertThatThrownBy(() -> offsets.applied(List.of(p(0))))
          .isInstanceOf(TopicOffsets.UnavailableException.class);
    }
  }

  private void write(int partition, int count) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, partition, "k", "v" + i)).get();
      }
    }
  }

  private Partition p(int number) {
    return new Partition(topic, number);
  }
}
