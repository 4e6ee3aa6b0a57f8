package dev.kiln.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/** Latencies in 0.1 ms buckets up to a minute, recorded from many threads at once. */
final class LatencyHistogram {
  private static final int BUCKETS = 600_000;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);

  void record(long micros) {
    counts.incrementAndGet((int) Math.min(BUCKETS, Math.max(0, micros / 100)));
  }

  long count() {
    long total = 0;
    for (int i = 0; i <= BUCKETS; i++) {
      total += counts.get(i);
    }
    return total;
  }

  /** The latency in ms below which {@code fraction} of the records fall (bucket upper bound). */
  double percentile(double fraction) {
    long wanted = (long) Math.ceil(count() * fraction);
    long seen = 0;
    for (int i = 0; i <= BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= wanted && seen > 0) {
        return (i + 1) / 10.0;
      }
    }
    return Double.NaN;
  }
}
