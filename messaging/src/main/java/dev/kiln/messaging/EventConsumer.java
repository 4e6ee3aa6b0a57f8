package dev.kiln.messaging;

import dev.kiln.contracts.events.EventCodec;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads events in a thread of its own, hands each polled batch to a handler, and commits the
 * batch's offsets only after the handler returned. When the handler fails, the batch is read again
 * after a pause: nothing is skipped, so handlers must tolerate repeats (by event id or by a unique
 * key). Records that are not valid envelopes are logged and skipped; records of unknown types are
 * skipped silently, as older readers must. A consumer may be given a key filter: records whose key
 * it refuses are skipped without being decoded, which spares a consumer that follows few builds the
 * cost of reading every record.
 */
public final class EventConsumer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EventConsumer.class.getName());

  /** Does the work for one polled batch; throwing makes the batch come again. */
  @FunctionalInterface
  public interface BatchHandler {
    void handle(List<ReceivedEvent> events) throws Exception;
  }

  private final String name;
  private final Consumer<String, byte[]> consumer;
  private final Collection<String> topics;
  private final BatchHandler handler;
  private final Predicate<String> wantedKey;
  private final Thread thread;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private volatile boolean running = true;

  public EventConsumer(
      String name,
      Map<String, Object> consumerConfig,
      Collection<String> topics,
      BatchHandler handler) {
    this(name, new KafkaConsumer<>(consumerConfig), topics, key -> true, handler);
  }

  /**
   * A consumer that decodes and hands over only the records whose key {@code wantedKey} accepts;
   * the others are skipped (and committed) unread. The filter is asked on the consumer's thread.
   */
  public EventConsumer(
      String name,
      Map<String, Object> consumerConfig,
      Collection<String> topics,
      Predicate<String> wantedKey,
      BatchHandler handler) {
    this(name, new KafkaConsumer<>(consumerConfig), topics, wantedKey, handler);
  }

  EventConsumer(
      String name,
      Consumer<String, byte[]> consumer,
      Collection<String> topics,
      Predicate<String> wantedKey,
      BatchHandler handler) {
    this.name = name;
    this.consumer = consumer;
    this.topics = List.copyOf(topics);
    this.wantedKey = wantedKey;
    this.handler = handler;
    this.thread = Thread.ofPlatform().name("consumer-" + name).unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  /**
   * Waits until the group gave this consumer its partitions, so that records published from now on
   * reach it.
   */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    try {
      consumer.subscribe(
          topics,
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              // Resolve each start offset now: a group without committed offsets that starts at
              // the newest record would otherwise fix "newest" only at the next fetch, and a
              // record published in between would be skipped.
              partitions.forEach(consumer::position);
              assigned.countDown();
            }
          });
      Duration backoff = Duration.ofMillis(200);
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        List<ReceivedEvent> batch = decode(records);
        try {
          if (!batch.isEmpty()) {
            handler.handle(batch);
          }
          consumer.commitSync(nextOffsets(records));
          backoff = Duration.ofMillis(200);
        } catch (WakeupException e) {
          throw e;
        } catch (Exception e) {
          LOG.log(Level.WARNING, name + ": batch failed, reading it again: " + e, e);
          rewind(records);
          Thread.sleep(backoff);
          backoff =
              backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                  ? Duration.ofSeconds(5)
                  : backoff.multipliedBy(2);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, name + ": consumer stopped: " + e, e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private List<ReceivedEvent> decode(ConsumerRecords<String, byte[]> records) {
    List<ReceivedEvent> batch = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      if (!wantedKey.test(record.key())) {
        continue;
      }
      try {
        EventCodec.decode(record.value())
            .map(
                envelope ->
                    new ReceivedEvent(
                        envelope, record.topic(), record.partition(), record.offset()))
            .ifPresent(batch::add);
      } catch (EventCodec.EventDecodingException e) {
        LOG.log(
            Level.ERROR,
            name
                + ": skipping unreadable record "
                + record.topic()
                + "-"
                + record.partition()
                + "@"
                + record.offset()
                + ": "
                + e.getMessage());
      }
    }
    return batch;
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
      offsets.put(partition, new OffsetAndMetadata(inPartition.getLast().offset() + 1));
    }
    return offsets;
  }

  private void rewind(ConsumerRecords<String, byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      Optional.ofNullable(records.records(partition))
          .filter(list -> !list.isEmpty())
          .ifPresent(list -> consumer.seek(partition, list.getFirst().offset()));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
