package dev.kiln.bench;

import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import dev.kiln.context.Trees;
import dev.kiln.contracts.BuildIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How many log lines per second log-service stores in PostgreSQL, on a farm of real processes: a
 * {@link SyntheticWorker} publishes the lines of several builds to Kafka as fast as it can, and the
 * rows stored are counted in the database every 200 ms.
 *
 * <p>Two rounds: <b>live</b>, lines published while log-service stores them (producer, broker,
 * log-service and PostgreSQL share the machine), and <b>backlog</b>, lines published while
 * log-service is stopped and stored after it starts again (the producer is done by then).
 *
 * <p>Besides the rates it prints the CPU time log-service, PostgreSQL and the broker used per
 * million lines over the same window: on a shared machine it depends less on what else runs.
 *
 * <p>Options: {@code --lines N} per round (default 2,000,000), {@code --builds N} (default 8),
 * {@code --text-bytes N} per line (default 100), {@code --port-base N} (default 34000).
 */
public final class LogThroughput {
  private static final Duration SAMPLE = Duration.ofMillis(200);

  private LogThroughput() {}

  public static void main(String[] args) throws Exception {
    Options options = new Options(args);
    int lines = options.integer("lines", 2_000_000);
    int builds = options.integer("builds", 8);
    int textBytes = options.integer("text-bytes", 100);
    Path work = Files.createTempDirectory("kiln-bench");
    FarmSettings settings =
        FarmSettings.defaults(Path.of(System.getProperty("kiln.home", ".")), work.resolve("farm"))
            .withPortBase(options.integer("port-base", 34000))
            .withWorkers(0);
    try (Farm farm = new Farm(settings, System.err)) {
      farm.start();
      try (SyntheticWorker worker = new SyntheticWorker(farm.kafkaBootstrapServers())) {
        System.out.printf(
            "%,d lines per round in %d builds, %d bytes of text each, %d lines per chunk%n",
            lines, builds, textBytes, SyntheticWorker.CHUNK_LINES);
        System.out.println();
        System.out.println(
            "| round | lines stored | first to last row | mean lines/s | sustained lines/s (10%→90%)"
                + " | CPU s per million lines: log-service / PostgreSQL / Kafka |");
        System.out.println("|---|---|---|---|---|---|");

        List<String> live = buildIds(builds);
        CompletableFuture<Void> publishing =
            CompletableFuture.runAsync(() -> publish(worker, live, lines, textBytes));
        print("live", count(farm, live, lines));
        publishing.join();

        List<String> backlog = buildIds(builds);
        farm.kill("log-service");
        publish(worker, backlog, lines, textBytes);
        farm.restart("log-service");
        print("backlog", count(farm, backlog, lines));
      }
    } finally {
      Trees.delete(work);
    }
  }

  private static List<String> buildIds(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(BuildIds.newId());
    }
    return ids;
  }

  /**
   * Prints {@code lines} lines, split evenly over the builds, each build on a thread of its own.
   */
  private static void publish(SyntheticWorker worker, List<String> builds, int lines, int bytes) {
    String padding = "x".repeat(Math.max(0, bytes - 20));
    List<Thread> threads = new ArrayList<>();
    for (String build : builds) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    worker.running(build);
                    SyntheticWorker.BuildLog log = worker.log(build);
                    for (int i = 0; i < lines / builds.size(); i++) {
                      log.print("line " + i + " " + padding);
                    }
                    worker.succeeded(build, log.close());
                  }));
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * One look at the farm: when, how many rows were stored, and the CPU milliseconds log-service,
   * PostgreSQL and Kafka had used.
   */
  private record Sample(long nanos, long rows, long[] cpuMillis) {}

  /** Samples the farm every 200 ms until every line is stored. */
  private static List<Sample> count(Farm farm, List<String> builds, int lines) throws Exception {
    long expected = (long) (lines / builds.size()) * builds.size();
    List<Sample> samples = new ArrayList<>();
    try (Connection db = DriverManager.getConnection(farm.jdbcUrl());
        PreparedStatement stored =
            db.prepareStatement(
                "select coalesce(sum(line_count), 0) from logs.attempts where build_id = any(?)")) {
      stored.setArray(1, db.createArrayOf("text", builds.toArray()));
      long rows = 0;
      while (rows < expected) {
        Thread.sleep(SAMPLE);
        try (ResultSet result = stored.executeQuery()) {
          result.next();
          rows = result.getLong(1);
        } catch (java.sql.SQLException notYet) {
          continue; // the logs schema appears when log-service first starts
        }
        long[] cpu = {
          Math.round(ProcessCpu.seconds(farm.process("log-service")) * 1000),
          Math.round(ProcessCpu.seconds(postgres(farm)) * 1000),
          Math.round(ProcessCpu.seconds(farm.process("kafka")) * 1000)
        };
        samples.add(new Sample(System.nanoTime(), rows, cpu));
      }
    }
    return samples;
  }

  /**
   * The PostgreSQL server: pg_ctl starts it detached from the farm's process, so it is found by the
   * pid file in its data folder.
   */
  private static ProcessHandle postgres(Farm farm) throws java.io.IOException {
    Path pidFile = farm.settings().data().resolve("postgres/postmaster.pid");
    long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
    return ProcessHandle.of(pid).orElseThrow();
  }

  private static void print(String round, List<Sample> samples) {
    long total = samples.getLast().rows();
    Sample first = samples.stream().filter(s -> s.rows() > 0).findFirst().orElseThrow();
    Sample from = samples.stream().filter(s -> s.rows() >= total / 10).findFirst().orElseThrow();
    Sample to = samples.stream().filter(s -> s.rows() >= total * 9 / 10).findFirst().orElseThrow();
    double seconds = (samples.getLast().nanos() - first.nanos()) / 1e9;
    long window = to.rows() - from.rows();
    double sustained = window / ((to.nanos() - from.nanos()) / 1e9);
    double[] cpuPerMillion = new double[3];
    for (int i = 0; i < 3; i++) {
      cpuPerMillion[i] = (to.cpuMillis()[i] - from.cpuMillis()[i]) / 1000.0 / window * 1e6;
    }
    System.out.printf(
        "| %s | %,d | %.1f s | %,.0f | %,.0f | %.1f / %.1f / %.1f |%n",
        round,
        total,
        seconds,
        (total - first.rows()) / seconds,
        sustained,
        cpuPerMillion[0],
        cpuPerMillion[1],
        cpuPerMillion[2]);
  }
}
