package dev.kiln.logs;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.LogChunk;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.testing.KilnInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Publishes what a worker and the scheduler would publish about one build. */
final class BuildEvents implements AutoCloseable {
  private final EventPublisher publisher =
      new EventPublisher(
          KafkaClients.producerConfig(
              KilnInfrastructure.broker().bootstrapServers(), "log-service-test"));
  private final String buildId;

  BuildEvents(String buildId) {
    this.buildId = buildId;
  }

  static String text(long seq) {
    return "line " + seq + " \u00e9 \"quoted\"";
  }

  /** Lines {@code from..to} of an attempt, sent without waiting for the broker. */
  void chunk(int attempt, long from, long to, boolean last) {
    List<LogLine> lines =
        LongStream.rangeClosed(from, to)
            .mapToObj(
                seq ->
                    new LogLine(
                        seq, Instant.now(), LogStream.STDOUT, (int) (seq / 100) + 1, text(seq)))
            .toList();
    publisher.publish(Envelope.of(buildId, new LogChunk(attempt, from, lines, last)));
  }

  /** One chunk of the given texts, numbered from {@code from}, all printed at {@code ts}. */
  void chunk(int attempt, long from, List<String> texts, Instant ts, boolean last) {
    List<LogLine> lines =
        LongStream.range(0, texts.size())
            .mapToObj(i -> new LogLine(from + i, ts, LogStream.STDERR, null, texts.get((int) i)))
            .toList();
    publisher.publish(Envelope.of(buildId, new LogChunk(attempt, from, lines, last)));
  }

  void status(BuildState from, BuildState to, int attempt, Long lastSeq) {
    publisher.publish(
        Envelope.of(
            buildId,
            new BuildStatusChanged(from, to, attempt, null, "worker-1", null, null, lastSeq)));
  }

  void stepStarted(int step, long seq) {
    publisher.publish(
        Envelope.of(
            buildId, new StepStarted(1, step, 1, 1, step, 3, "RUN step " + step, step + 1, seq)));
  }

  void stepFinished(int step, long seq, boolean failed) {
    publisher.publish(
        Envelope.of(
            buildId,
            new StepFinished(
                1,
                step,
                1,
                1,
                step,
                3,
                "RUN step " + step,
                step + 1,
                false,
                failed,
                12,
                null,
                seq)));
  }

  /** Waits until the broker took everything published so far. */
  void flush() {
    publisher.flush();
  }

  @Override
  public void close() {
    publisher.close();
  }

  /** Waits for something the service does in its own time, reading again while it fails. */
  static ConditionFactory eventually() {
    return Awaitility.await().ignoreExceptions().atMost(Duration.ofSeconds(60));
  }
}
