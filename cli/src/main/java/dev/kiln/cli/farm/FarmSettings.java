package dev.kiln.cli.farm;

import java.nio.file.Path;

/**
 * What a local farm runs and where.
 *
 * @param home the Kiln checkout whose built services run (each under {@code
 *     <module>/target/quarkus-app})
 * @param data the folder holding every component's data, {@code run/} pid files and {@code logs/}
 * @param gatewayPort the public port
 * @param schedulerPort the first scheduler's port; the others follow the log-service's port (see
 *     {@link #schedulerPort(int)})
 * @param logServicePort the log-service's port
 * @param firstWorkerPort worker n listens on this port + n − 1
 * @param postgresPort embedded PostgreSQL's port
 * @param kafkaPort the broker's client port; its controller takes the next one
 * @param registryPort the local registry's port, when docker-registry is installed
 * @param workers how many build workers run
 * @param schedulers how many schedulers run (more than one only to test that they coexist)
 * @param workerSlots builds each worker runs at once
 * @param serviceHeap the heap limit of each service JVM, such as {@code 512m}
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
    String serviceHeap) {

  /** The ports and sizes {@code kiln up} uses unless told otherwise. */
  public static FarmSettings defaults(Path home, Path data) {
    return new FarmSettings(
        home, data, 8080, 8081, 8082, 8090, 15432, 19092, 5000, 1, 1, 2, "512m");
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
        serviceHeap);
  }

  public FarmSettings withWorkers(int count) {
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
        count,
        schedulers,
        workerSlots,
        serviceHeap);
  }

  public FarmSettings withSchedulers(int count) {
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
        count,
        workerSlots,
        serviceHeap);
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
        serviceHeap);
  }

  /**
   * The port of scheduler {@code n} (from 1): the first at {@code schedulerPort}, the n-th at the
   * log-service's port + n − 1, so that no scheduler takes the log-service's port.
   */
  public int schedulerPort(int n) {
    return n == 1 ? schedulerPort : logServicePort + n - 1;
  }

  public Path run() {
    return data.resolve("run");
  }

  public Path logs() {
    return data.resolve("logs");
  }
}
