package dev.kiln.logs.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildState;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.LogEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LiveSubscriptionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final LiveFeed feed = new LiveFeed();
  private final AtomicInteger overflows = new AtomicInteger();

  @Test
  void aSubscriptionReceivesTheEventsOfItsBuildOnly() throws Exception {
    try (LiveSubscription subscription = feed.subscribe("a", 100, overflows::incrementAndGet)) {
      feed.publish("b", status());
      feed.publish("a", lines(1, 3, false));

      assertThat(subscription.poll(Duration.ZERO)).isEqualTo(lines(1, 3, false));
      assertThat(subscription.poll(Duration.ZERO)).isNull();
    }
    feed.publish("a", status());
    assertThat(feed.subscriptions()).isZero();
  }

  @Test
  void linesThatDoNotFitAreNotedAsSkippedSoTheStreamReadsThemFromTheStore() throws Exception {
    LiveSubscription subscription = feed.subscribe("a", 10, overflows::incrementAndGet);
    feed.publish("a", lines(1, 6, false));
    feed.publish("a", lines(7, 12, false));
    feed.publish("a", lines(13, 20, true));
    feed.publish("a", status());

    assertThat(subscription.poll(Duration.ZERO)).isEqualTo(lines(1, 6, false));
    assertThat(subscription.poll(Duration.ZERO)).isEqualTo(status());
    assertThat(subscription.takeSkipped()).isEqualTo(new LogEvent.LinesSkipped(1, 20, true));
    assertThat(subscription.takeSkipped()).isNull();
    assertThat(subscription.overflowed()).isFalse();
    assertThat(overflows).hasValue(0);
  }

  @Test
  void aStreamThatTakesNothingOverflowsAndItsOwnerIsToldOnce() throws Exception {
    LiveSubscription subscription = feed.subscribe("a", 3, overflows::incrementAndGet);
    for (int i = 0; i < 5; i++) {
      feed.publish("a", status());
    }

    assertThat(subscription.overflowed()).isTrue();
    assertThat(overflows).hasValue(1);
    assertThat(subscription.poll(Duration.ZERO)).isNull();
  }

  private static LogEvent.Lines lines(long from, long to, boolean last) {
    return new LogEvent.Lines(
        1,
        from,
        LongStream.rangeClosed(from, to)
            .mapToObj(seq -> new LogEntry(1, seq, T0, "stdout", null, "line " + seq))
            .toList(),
        last);
  }

  private static LogEvent.Status status() {
    return new LogEvent.Status(
        new BuildStatus(BuildState.ASSIGNED, BuildState.RUNNING, 1, null, "w1", null, T0));
  }
}
