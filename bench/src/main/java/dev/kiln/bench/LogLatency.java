package dev.kiln.bench;

import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import dev.kiln.context.Trees;
import dev.kiln.contracts.BuildIds;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a log line takes from the moment a worker prints it to the moment a WebSocket client of
 * the gateway receives it, on a farm of real processes: a {@link SyntheticWorker} prints lines at a
 * steady rate (batched like the worker: a chunk leaves at 500 lines or 50 ms after its first line)
 * into Kafka; log-service stores them and streams them; the gateway relays the streams; {@link
 * StreamWatcher}s measure. One round per number of watchers, all watching the same build, after an
 * unmeasured warm-up round (a fresh JVM compiles its hot code in the first seconds). Also reports
 * the resident memory of log-service and the gateway during the round, and the database
 * transactions per second (the store's writes plus every read the streams make).
 *
 * <p>Options: {@code --rate N} lines/s (default 5000), {@code --seconds N} (default 30), {@code
 * --warmup N} seconds not measured (default 5), {@code --watchers 1,100}, {@code --via gateway} or
 * {@code log-service} (default gateway), {@code --port-base N} (default 34000).
 */
public final class LogLatency {
  private LogLatency() {}

  public static void main(String[] args) throws Exception {
    Options options = new Options(args);
    int rate = options.integer("rate", 5000);
    int seconds = options.integer("seconds", 30);
    int warmup = options.integer("warmup", 5);
    boolean direct = options.text("via", "gateway").equals("log-service");
    Path work = Files.createTempDirectory("kiln-bench");
    FarmSettings settings =
        FarmSettings.defaults(Path.of(System.getProperty("kiln.home", ".")), work.resolve("farm"))
            .withPortBase(options.integer("port-base", 34000))
            .withWorkers(0);
    try (Farm farm = new Farm(settings, System.err)) {
      farm.start();
      try (SyntheticWorker worker = new SyntheticWorker(farm.kafkaBootstrapServers())) {
        String base = direct ? farm.logServiceUrls().getFirst() : farm.gatewayUrl();
        System.out.printf(
            "%,d lines/s for %d s (the first %d s not measured), %d lines per chunk or %d ms,"
                + " watched through %s%n%n",
            rate,
            seconds,
            warmup,
            SyntheticWorker.CHUNK_LINES,
            SyntheticWorker.LINGER.toMillis(),
            direct ? "log-service directly" : "the gateway");
        System.out.println(
            "| watchers | lines measured | p50 ms | p90 ms | p99 ms | p99.9 ms | log-service RSS MiB"
                + " (peak) | gateway RSS MiB (peak) | PostgreSQL transactions/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        round(farm, worker, base, 1, rate, Math.max(10, warmup), 0, false);
        for (String count : options.text("watchers", "1,100").split(",")) {
          round(farm, worker, base, Integer.parseInt(count.trim()), rate, seconds, warmup, true);
        }
      }
    } finally {
      StreamWatcher.shutdown();
      Trees.delete(work);
    }
  }

  private static void round(
      Farm farm,
      SyntheticWorker worker,
      String base,
      int watchers,
      int rate,
      int seconds,
      int warmup,
      boolean report)
      throws Exception {
    String build = BuildIds.newId();
    worker.running(build);
    LatencyHistogram latencies = new LatencyHistogram();
    URI stream =
        URI.create(
            base.replaceFirst("^http", "ws") + "/api/v1/builds/" + build + "/logs/stream?after=0");
    List<StreamWatcher> clients = new ArrayList<>();
    for (int i = 0; i < watchers; i++) {
      clients.add(
          StreamWatcher.open(stream, farm.adminToken(), latencies, (long) rate * warmup + 1));
    }
    CompletableFuture.allOf(
            clients.stream().map(StreamWatcher::opened).toArray(CompletableFuture[]::new))
        .get(3, TimeUnit.MINUTES);

    MemoryPeak logService = MemoryPeak.watch(farm.process("log-service"));
    MemoryPeak gateway = MemoryPeak.watch(farm.process("api-gateway"));
    long transactionsBefore = transactions(farm);
    long started = System.nanoTime();
    long total = print(worker.log(build), rate, seconds);
    double elapsed = (System.nanoTime() - started) / 1e9;
    long transactions = transactions(farm) - transactionsBefore;
    worker.succeeded(build, total);

    for (StreamWatcher client : clients) {
      String close = client.ended().get(5, TimeUnit.MINUTES);
      if (client.disorder() != null || client.lastSeq() != total || !close.startsWith("1000")) {
        throw new IllegalStateException(
            "a watcher saw "
                + client.lastSeq()
                + " of "
                + total
                + " lines ("
                + client.disorder()
                + ") and was closed with "
                + close);
      }
    }
    logService.stop();
    gateway.stop();
    if (!report) {
      return;
    }
    System.out.printf(
        "| %d | %,d | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f |%n",
        watchers,
        latencies.count(),
        latencies.percentile(0.50),
        latencies.percentile(0.90),
        latencies.percentile(0.99),
        latencies.percentile(0.999),
        logService.peakMib(),
        gateway.peakMib(),
        transactions / elapsed);
  }

  /** Prints lines at {@code rate} per second for {@code seconds}; returns the last seq. */
  private static long print(SyntheticWorker.BuildLog log, int rate, int seconds) {
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    long printed = 0;
    String padding = "x".repeat(60);
    for (long now = start; now < end; now = System.nanoTime()) {
      long due = (now - start) * rate / 1_000_000_000L;
      while (printed < due) {
        printed = log.print("line " + (printed + 1) + " " + padding);
      }
      LockSupport.parkNanos(200_000);
    }
    return log.close();
  }

  private static long transactions(Farm farm) throws Exception {
    try (Connection db = DriverManager.getConnection(farm.jdbcUrl());
        ResultSet row =
            db.createStatement()
                .executeQuery(
                    "select xact_commit + xact_rollback from pg_stat_database"
                        + " where datname = current_database()")) {
      row.next();
      return row.getLong(1);
    }
  }

  /** The highest resident set size of a process, sampled every 250 ms until stopped. */
  private static final class MemoryPeak {
    private final AtomicLong peakKib = new AtomicLong();
    private final Thread sampler;

    private MemoryPeak(ProcessHandle process) {
      this.sampler =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      try {
                        peakKib.accumulateAndGet(Memory.rssKib(process), Math::max);
                        Thread.sleep(250);
                      } catch (InterruptedException e) {
                        return;
                      } catch (java.io.IOException e) {
                        return;
                      }
                    }
                  });
    }

    static MemoryPeak watch(ProcessHandle process) {
      return new MemoryPeak(process);
    }

    void stop() throws InterruptedException {
      sampler.interrupt();
      sampler.join();
    }

    double peakMib() {
      return peakKib.get() / 1024.0;
    }
  }
}
