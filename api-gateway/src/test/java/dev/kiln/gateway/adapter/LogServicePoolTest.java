package dev.kiln.gateway.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogServicePoolTest {
  private final AtomicLong now = new AtomicLong();
  private final LogServicePool pool =
      new LogServicePool(
          List.of(URI.create("http://a:1/"), URI.create("http://b:2"), URI.create("http://c:3")),
          Duration.ofSeconds(5),
          now::get);

  @Test
  void requestsTakeTheInstancesInTurnEachWithTheOthersAsFallbacks() {
    assertThat(pool.candidates()).containsExactly("http://a:1", "http://b:2", "http://c:3");
    assertThat(pool.candidates()).containsExactly("http://b:2", "http://c:3", "http://a:1");
    assertThat(pool.candidates()).containsExactly("http://c:3", "http://a:1", "http://b:2");
    assertThat(pool.candidates()).containsExactly("http://a:1", "http://b:2", "http://c:3");
  }

  @Test
  void anInstanceThatFailedIsTriedLastUntilItsRetryTimePassed() {
    pool.failed("http://a:1");

    assertThat(pool.candidates()).containsExactly("http://b:2", "http://c:3", "http://a:1");
    assertThat(pool.candidates()).containsExactly("http://b:2", "http://c:3", "http://a:1");

    now.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(pool.candidates()).containsExactly("http://c:3", "http://a:1", "http://b:2");
  }

  @Test
  void anInstanceThatAnsweredAgainIsTakenInTurnAtOnce() {
    pool.failed("http://b:2");
    pool.reached("http://b:2");

    pool.candidates();
    assertThat(pool.candidates()).containsExactly("http://b:2", "http://c:3", "http://a:1");
  }

  @Test
  void anEmptyListIsRefused() {
    assertThatThrownBy(() -> new LogServicePool(List.of(), Duration.ofSeconds(5), now::get))
        .hasMessageContaining("kiln.gateway.log-service-urls");
  }
}
