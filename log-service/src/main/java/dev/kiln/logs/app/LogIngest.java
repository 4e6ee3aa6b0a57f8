package dev.kiln.logs.app;

import dev.kiln.logs.domain.LogBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Stores the log events of one polled batch. */
@ApplicationScoped
public class LogIngest {
  private final LogWriter writer;
  private final Counter lines;

  public LogIngest(LogWriter writer, MeterRegistry registry) {
    this.writer = writer;
    this.lines =
        Counter.builder("kiln.logs.lines.received")
            .description("log lines received for storing, repeats included")
            .register(registry);
  }

  /**
   * Stores the events in one transaction.
   *
   * @throws LogStoreException when nothing could be stored; the caller reads the batch again
   */
  public void store(List<LogBatch.BuildEvent> events) {
    LogBatch batch = LogBatch.of(events);
    if (!batch.isEmpty()) {
      writer.store(batch);
      lines.increment(batch.lines().size());
    }
  }
}
