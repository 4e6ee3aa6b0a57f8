package dev.kiln.cli.farm;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a local farm runs and where.
 *
 * @param home the Kiln checkout whose built services run (each under {@code
 *     <module>/target/quarkus-app})
 * @param data the folder holding every component's data, {@code run/} pid files and {@code logs/}
 * @param gatewayPort the public port
 * @param schedulerPort the first scheduler's port (see {@link #schedulerPort(int)})
 * @param logServicePort the first log-service's port (see {@link #logServicePort(int)})
 * @param firstWorkerPort worker n listens on this port + n − 1
 * @param postgresPort embedded PostgreSQL's port
 * @param kafkaPort the broker's client port; its controller takes the next one
 * @param registryPort the local registry's port, when docker-registry is installed
 * @param workers how many build workers run
 * @param schedulers how many schedulers run
 * @param workerSlots builds each worker runs at once
 * @param serviceHeap the heap limit of each service JVM, such as {@code 512m}
 * @param logServices how many log-services run; the gateway spreads watchers over them
 * @param workerSettings more settings for every worker, such as {@code
 *     kiln.worker.cache-repository}
 */
public record FarmSettings(
    Path home,
    Path data,
    int gatewayPort,
    int schedulerPort,
    int logServicePort,
    int firstWorkerPort,
    int postgresPort,
    int kafkaPort,
    int registryPort,
    int workers,
    int schedulers,
    int workerSlots,
    String serviceHeap,
    int logServices,
    Map<String, String> workerSettings) {
  public FarmSettings {
    workerSettings = Map.copyOf(workerSettings);
  }

  /** The ports and sizes {@code kiln up} uses unless told otherwise. */
  public static FarmSettings defaults(Path home, Path data) {
    return new FarmSettings(
        home, data, 8080, 8081, 8082, 8090, 15432, 19092, 5000, 1, 1, 2, "512m", 1, Map.of());
  }

  /**
   * The port of scheduler {@code n} (from 1). Schedulers and log-services take every other port
   * from their first one, so that several of each never meet.
   */
  public int schedulerPort(int n) {
    return schedulerPort + 2 * (n - 1);
  }

  /** The port of log-service {@code n} (from 1); see {@link #schedulerPort(int)}. */
  public int logServicePort(int n) {
    return logServicePort + 2 * (n - 1);
  }

  public FarmSettings withGatewayPort(int port) {
    return new FarmSettings(
        home,
        data,
        port,
        schedulerPort,
        logServicePort,
        firstWorkerPort,
        postgresPort,
        kafkaPort,
        registryPort,
        workers,
        schedulers,
        workerSlots,
        serviceHeap,
        logServices,
        workerSettings);
  }

  public FarmSettings withWorkers(int count) {
    return counts(count, schedulers, logServices);
  }

  public FarmSettings withSchedulers(int count) {
    return counts(workers, count, logServices);
  }

  /** Runs {@code count} log-services instead of one. */
  public FarmSettings withLogServices(int count) {
    return counts(workers, schedulers, count);
  }

  private FarmSettings counts(int workerCount, int schedulerCount, int logServiceCount) {
    return new FarmSettings(
        home,
        data,
        gatewayPort,
        schedulerPort,
        logServicePort,
        firstWorkerPort,
        postgresPort,
        kafkaPort,
        registryPort,
        workerCount,
        schedulerCount,
        workerSlots,
        serviceHeap,
        logServiceCount,
        workerSettings);
  }

  /** Every port moved to {@code base + offset}, so a test farm stays clear of a running one. */
  public FarmSettings withPortBase(int base) {
    return new FarmSettings(
        home,
        data,
        base,
        base + 1,
        base + 2,
        base + 10,
        base + 20,
        base + 30,
        base + 40,
        workers,
        schedulers,
        workerSlots,
        serviceHeap,
        logServices,
        workerSettings);
  }

  /** The same farm with one more setting for every worker. */
  public FarmSettings withWorkerSetting(String key, String value) {
    Map<String, String> settings = new LinkedHashMap<>(workerSettings);
    settings.put(key, value);
    return new FarmSettings(
        home,
        data,
        gatewayPort,
        schedulerPort,
        logServicePort,
        firstWorkerPort,
        postgresPort,
        kafkaPort,
        registryPort,
        workers,
        schedulers,
        workerSlots,
        serviceHeap,
        logServices,
        settings);
  }

  public Path run() {
    return data.resolve("run");
  }

  public Path logs() {
    return data.resolve("logs");
  }
}
