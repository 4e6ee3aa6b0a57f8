package dev.kiln.logs.app;

import dev.kiln.logs.config.LogServiceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Opens live log streams, each on a virtual thread of its own. */
@ApplicationScoped
public class LogStreams {
  private final LogReader reader;
  private final LiveFeed feed;
  private final StoreProgress progress;
  private final StreamSettings settings;
  private final Set<BuildLogStream> open = ConcurrentHashMap.newKeySet();

  public LogStreams(
      LogReader reader,
      LiveFeed feed,
      StoreProgress progress,
      LogServiceConfig config,
      MeterRegistry registry) {
    Counter reads =
        Counter.builder("kiln.logs.stream.reads")
            .description("database reads made by live streams")
            .register(registry);
    this.reader = new CountedReader(reader, reads::increment);
    this.feed = feed;
    this.progress = progress;
    this.settings =
        new StreamSettings(
            config.pageSize(),
            config.streamBuffer(),
            config.finalSeqGrace(),
            config.endSettle(),
            config.gapRetry(),
            config.unknownBuildTimeout(),
            config.sendTimeout());
    registry.gaugeCollectionSize("kiln.logs.streams.open", Tags.empty(), open);
  }

  /**
   * Starts streaming a build to a client.
   *
   * @param after the client has every line up to this seq
   * @param afterAttempt the attempt {@code after} belongs to, {@code null} for the current one
   * @return the running stream, to stop when the client leaves
   */
  public BuildLogStream open(String buildId, long after, Integer afterAttempt, StreamSink sink) {
    BuildLogStream stream =
        new BuildLogStream(buildId, after, afterAttempt, reader, feed, progress, settings, sink);
    open.add(stream);
    Thread.ofVirtual()
        .name("log-stream-" + buildId)
        .start(
            () -> {
              try {
                stream.run();
              } finally {
                open.remove(stream);
              }
            });
    return stream;
  }

  @PreDestroy
  void stopAll() {
    open.forEach(BuildLogStream::stop);
  }
}
