package dev.kiln.bench;

import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import dev.kiln.context.Trees;
import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast the scheduler assigns: a real farm (PostgreSQL, Kafka, the scheduler, and the gateway
 * and log-service reading its status events) with {@link SleepingWorkerSimulator} in place of the
 * workers. Builds are requested on {@code kiln.build.requests.v1} exactly as the gateway's outbox
 * would, from 10 owners; each latency runs from the moment a request is handed to the producer to
 * the moment its {@code BuildAssigned} reaches the simulated worker.
 *
 * <p>Two phases after a warm-up: a burst (every build at once: the assignment throughput) and a
 * steady rate below it (the latency of a farm that keeps up).
 *
 * <p>Options: {@code --workers 100 --slots 4 --build-ms 250 --burst 3000 --rate 400 --seconds 10}.
 */
public final class SchedulerAssign {
  private static final int OWNERS = 10;
  private static final List<String> COMPONENTS = List.of("build-scheduler", "postgres", "kafka");

  private final EventPublisher publisher;
  private final Map<String, Long> submitted = new ConcurrentHashMap<>();
  private final Map<String, Long> assigned = new ConcurrentHashMap<>();

  private SchedulerAssign(EventPublisher publisher) {
    this.publisher = publisher;
  }

  public static void main(String[] args) throws Exception {
    Options options = new Options(args);
    Path work = Files.createTempDirectory("kiln-bench");
    FarmSettings settings =
        FarmSettings.defaults(Path.of(System.getProperty("kiln.home", ".")), work.resolve("farm"))
            .withPortBase(options.integer("port-base", 33000))
            .withWorkers(0);
    int workers = options.integer("workers", 100);
    int slots = options.integer("slots", 4);
    Duration buildTime = Duration.ofMillis(options.integer("build-ms", 250));
    try (Farm farm = new Farm(settings, System.err)) {
      farm.start(Set.of("build-scheduler"));
      String bootstrap = "127.0.0.1:" + settings.kafkaPort();
      try (EventPublisher publisher =
          new EventPublisher(KafkaClients.producerConfig(bootstrap, "bench-requests"))) {
        SchedulerAssign bench = new SchedulerAssign(publisher);
        try (SleepingWorkerSimulator simulator =
            new SleepingWorkerSimulator(
                bootstrap, workers, slots, buildTime, bench.assigned::putIfAbsent)) {
          simulator.start();
          // Let the scheduler see every worker before the first build.
          Thread.sleep(Duration.ofSeconds(6));
          System.out.printf(
              "%d simulated workers × %d slots, each build sleeps %d ms (capacity %.0f builds/s)%n",
              workers,
              slots,
              buildTime.toMillis(),
              workers * slots * 1000.0 / buildTime.toMillis());
          bench.paced("warm-up", 200, 1000);
          System.out.println(
              "| phase | builds | first request → last assigned | assignments/s |"
                  + " p50 request → assigned | p99 | max |");
          System.out.println("|---|---|---|---|---|---|---|");
          int burst = options.integer("burst", 3000);
          Map<String, Double> before = CpuTime.snapshot(farm, COMPONENTS);
          bench.burst(burst);
          // Every burst build also finishes before the CPU is read again.
          Thread.sleep(buildTime.plusSeconds(2));
          Map<String, Double> after = CpuTime.snapshot(farm, COMPONENTS);
          int rate = options.integer("rate", 400);
          bench.paced("steady", rate * options.integer("seconds", 10), rate);
          printCpu(before, after, burst);
        }
      }
    } finally {
      Trees.delete(work);
    }
  }

  /**
   * CPU per build of the burst, per process, and the rate two otherwise idle cores could sustain at
   * that cost.
   */
  private static void printCpu(Map<String, Double> before, Map<String, Double> after, int builds) {
    System.out.println();
    System.out.printf(
        "CPU time per build of the burst (request, assignment, acceptance, success, heartbeats):%n");
    System.out.println("| process | CPU ms per build |");
    System.out.println("|---|---|");
    double farmTotal = 0;
    for (String name : before.keySet()) {
      double perBuild = (after.get(name) - before.get(name)) / builds;
      System.out.printf("| %s | %.2f |%n", name, perBuild);
      if (!name.equals("simulator")) {
        farmTotal += perBuild;
      }
    }
    double simulator = (after.get("simulator") - before.get("simulator")) / builds;
    System.out.printf("| scheduler, PostgreSQL and Kafka | %.2f |%n", farmTotal);
    System.out.printf(
        "Two idle cores at that cost: %.0f builds/s for scheduler, PostgreSQL and Kafka alone,"
            + " %.0f/s with the simulator on the same cores.%n",
        2000 / farmTotal, 2000 / (farmTotal + simulator));
  }

  private void burst(int count) throws InterruptedException {
    List<String> ids = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      ids.add(request(i));
    }
    publisher.flush();
    report("burst", ids, start);
  }

  private void paced(String phase, int count, int perSecond) throws InterruptedException {
    List<String> ids = new ArrayList<>();
    long start = System.nanoTime();
    long gap = 1_000_000_000L / perSecond;
    for (int i = 0; i < count; i++) {
      long due = start + i * gap;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      ids.add(request(i));
    }
    if (!phase.equals("warm-up")) {
      report(phase + " (" + perSecond + "/s offered)", ids, start);
    } else {
      awaitAssigned(ids);
    }
  }

  private String request(int n) {
    String id = BuildIds.newId();
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch\nRUN true " + id),
            null,
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            0,
            null);
    submitted.put(id, System.nanoTime());
    publisher.publish(Envelope.of(id, new BuildRequested(spec, "owner-" + n % OWNERS)));
    return id;
  }

  private void awaitAssigned(List<String> ids) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!ids.stream().allMatch(assigned::containsKey)) {
      if (System.nanoTime() > deadline) {
        long missing = ids.stream().filter(id -> !assigned.containsKey(id)).count();
        throw new IllegalStateException(missing + " builds were not assigned within 5 minutes");
      }
      Thread.sleep(20);
    }
  }

  private void report(String phase, List<String> ids, long start) throws InterruptedException {
    awaitAssigned(ids);
    long last = ids.stream().mapToLong(assigned::get).max().orElse(start);
    List<Double> latencies =
        ids.stream().map(id -> (assigned.get(id) - submitted.get(id)) / 1e6).sorted().toList();
    double seconds = (last - start) / 1e9;
    System.out.printf(
        "| %s | %d | %.2f s | %.0f/s | %.1f ms | %.1f ms | %.1f ms |%n",
        phase,
        ids.size(),
        seconds,
        ids.size() / seconds,
        percentile(latencies, 50),
        percentile(latencies, 99),
        latencies.getLast());
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
