package dev.kiln.gateway.adapter;

import dev.kiln.gateway.config.LogRelayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The log-services the gateway relays to. Any of them serves any build, so requests and streams
 * take them in turn (round-robin), which spreads the watchers of one busy build as well as those of
 * many. When one cannot be reached the relay tries the next; an instance that failed goes to the
 * back of the line for {@code kiln.gateway.log-service-retry}, so requests do not keep knocking on
 * a door that is down.
 */
@ApplicationScoped
public class LogServicePool {
  private final List<String> bases;
  private final long retryNanos;
  private final LongSupplier clock;
  private final AtomicInteger turn = new AtomicInteger();
  private final Map<String, Long> downSince = new ConcurrentHashMap<>();

  @Inject
  public LogServicePool(LogRelayConfig config) {
    this(config.logServiceUrls(), config.logServiceRetry(), System::nanoTime);
  }

  LogServicePool(List<URI> urls, Duration retry, LongSupplier clock) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("kiln.gateway.log-service-urls names no log-service");
    }
    this.bases = urls.stream().map(url -> url.toString().replaceAll("/+$", "")).toList();
    this.retryNanos = retry.toNanos();
    this.clock = clock;
  }

  /**
   * The base URLs ({@code http://host:port}) to try for one request, in order: every instance once,
   * starting at the next in turn, with those that failed lately last.
   */
  public List<String> candidates() {
    int first = Math.floorMod(turn.getAndIncrement(), bases.size());
    List<String> up = new ArrayList<>(bases.size());
    List<String> down = new ArrayList<>();
    long now = clock.getAsLong();
    for (int i = 0; i < bases.size(); i++) {
      String base = bases.get((first + i) % bases.size());
      Long since = downSince.get(base);
      if (since != null && now - since < retryNanos) {
        down.add(base);
      } else {
        up.add(base);
      }
    }
    up.addAll(down);
    return up;
  }

  /** Notes that {@code base} could not be reached. */
  public void failed(String base) {
    downSince.put(base, clock.getAsLong());
  }

  /** Notes that {@code base} answered. */
  public void reached(String base) {
    downSince.remove(base);
  }
}
