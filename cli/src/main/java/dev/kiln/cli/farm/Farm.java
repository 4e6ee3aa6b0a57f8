package dev.kiln.cli.farm;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A whole Kiln farm on one machine: PostgreSQL, a Kafka broker, a registry when one is installed,
 * and every service as a process of its own. {@code kiln up} runs one until Ctrl-C; the end-to-end
 * tests run one per test class.
 */
public final class Farm implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final FarmSettings settings;
  private final PrintStream out;
  private final String java = ProcessHandle.current().info().command().orElse("java");

  /**
   * In start order; a restarted service keeps its place. Exit watchers read it from other threads.
   */
  private final Map<String, ManagedProcess> processes =
      Collections.synchronizedMap(new LinkedHashMap<>());

  private final Map<String, Launch> launches = new LinkedHashMap<>();
  private final Set<String> stoppedOnPurpose = ConcurrentHashMap.newKeySet();
  private final CountDownLatch exited = new CountDownLatch(1);
  private ManagedProcess registry;
  private volatile boolean closing;
  private volatile String exitReason = "";

  /** How a service was started, to start it again. */
  private record Launch(String module, Map<String, String> properties, int port) {}

  public Farm(FarmSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** The modules a farm runs as services. */
  public static final Set<String> SERVICES =
      Set.of("log-service", "build-scheduler", "api-gateway", "build-worker");

  /** Starts every component and waits until each service is ready. */
  public synchronized void start() throws FarmException {
    start(SERVICES);
  }

  /**
   * Starts PostgreSQL, Kafka and the given service modules (a subset of {@link #SERVICES}; the
   * registry only with {@code build-worker}) and waits until each service is ready. A benchmark of
   * the scheduler runs only {@code build-scheduler}, so that nothing else takes the machine's time.
   */
  public synchronized void start(Set<String> modules) throws FarmException {
    if (!SERVICES.containsAll(modules)) {
      throw new IllegalArgumentException("services are " + SERVICES + ", not " + modules);
    }
    prepareDirectories();
    requireFreePorts();
    out.println("Starting PostgreSQL on port " + settings.postgresPort() + "…");
    track(EmbeddedDatabase.start(settings, java));
    out.println("Starting Kafka on port " + settings.kafkaPort() + "…");
    track(KafkaBrokerProcess.start(settings, kafkaLibs(), java));
    if (modules.contains("build-worker")) {
      registry = RegistryProcess.start(settings).orElse(null);
      if (registry != null) {
        track(registry);
        out.println("Started a registry at " + registryHost().orElseThrow() + ".");
      } else {
        out.println(
            "No registry: docker-registry is not installed (builds can still push elsewhere or"
                + " keep an OCI archive).");
      }
    }
    out.println("Starting the services…");
    Map<ManagedProcess, Integer> services = new LinkedHashMap<>();
    if (modules.contains("log-service")) {
      services.put(
          launch(
              "log-service",
              new Launch(
                  "log-service", common(settings.logServicePort()), settings.logServicePort())),
          settings.logServicePort());
    }
    for (int n = 1; modules.contains("build-scheduler") && n <= settings.schedulers(); n++) {
      int port = settings.schedulerPort(n);
      String name = settings.schedulers() == 1 ? "build-scheduler" : "build-scheduler-" + n;
      services.put(launch(name, new Launch("build-scheduler", common(port), port)), port);
    }
    if (modules.contains("api-gateway")) {
      services.put(
          launch(
              "api-gateway",
              new Launch("api-gateway", gatewayProperties(), settings.gatewayPort())),
          settings.gatewayPort());
    }
    for (int n = 1; modules.contains("build-worker") && n <= settings.workers(); n++) {
      int port = settings.firstWorkerPort() + n - 1;
      String name = "build-worker-" + n;
      services.put(
          launch(name, new Launch("build-worker", workerProperties(name, port), port)), port);
    }
    awaitAllReady(services);
    watchForUnexpectedExits();
  }

  private void prepareDirectories() throws FarmException {
    try {
      Files.createDirectories(settings.run());
      Files.createDirectories(settings.logs());
      try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(settings.run(), "*.pid")) {
        for (Path pidFile : pidFiles) {
          Optional<ProcessHandle> running = runningProcess(pidFile);
          if (running.isPresent()) {
            throw new FarmException(
                "a farm already runs on "
                    + settings.data()
                    + " ("
                    + pidFile.getFileName()
                    + " names live process "
                    + running.get().pid()
                    + "); stop it first or use another --data directory");
          }
          Files.delete(pidFile);
        }
      }
    } catch (IOException e) {
      throw new FarmException("cannot prepare " + settings.data() + ": " + e, e);
    }
  }

  /** Refuses to start when another program holds a port the farm needs. */
  private void requireFreePorts() throws FarmException {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("api-gateway", settings.gatewayPort());
    for (int n = 1; n <= settings.schedulers(); n++) {
      ports.put("build-scheduler " + n, settings.schedulerPort(n));
    }
    ports.put("log-service", settings.logServicePort());
    for (int n = 1; n <= settings.workers(); n++) {
      ports.put("build-worker-" + n, settings.firstWorkerPort() + n - 1);
    }
    ports.put("PostgreSQL", settings.postgresPort());
    ports.put("Kafka", settings.kafkaPort());
    ports.put("the Kafka controller", settings.kafkaPort() + 1);
    if (Executables.find(RegistryProcess.BINARY).isPresent()) {
      ports.put("the registry", settings.registryPort());
    }
    for (Map.Entry<String, Integer> port : ports.entrySet()) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress("127.0.0.1", port.getValue()));
      } catch (IOException e) {
        throw new FarmException(
            "port "
                + port.getValue()
                + " for "
                + port.getKey()
                + " is already in use by another program; stop that program first");
      }
    }
  }

  private static Optional<ProcessHandle> runningProcess(Path pidFile) throws IOException {
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Path kafkaLibs() {
    return settings.home().resolve("kafka-runtime/target/lib");
  }

  private Map<String, String> common(int port) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("quarkus.http.port", Integer.toString(port));
    properties.put("kafka.bootstrap.servers", "127.0.0.1:" + settings.kafkaPort());
    properties.put("quarkus.datasource.jdbc.url", EmbeddedDatabase.jdbcUrl(settings));
    properties.put("quarkus.datasource.username", EmbeddedDatabase.USER);
    properties.put("quarkus.datasource.password", EmbeddedDatabase.PASSWORD);
    return properties;
  }

  private Map<String, String> gatewayProperties() {
    Map<String, String> properties = common(settings.gatewayPort());
    properties.put(
        "kiln.gateway.data-dir", settings.data().resolve("gateway").toAbsolutePath().toString());
    properties.put("kiln.gateway.log-service-url", "http://127.0.0.1:" + settings.logServicePort());
    return properties;
  }

  private Map<String, String> workerProperties(String name, int port) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("quarkus.http.port", Integer.toString(port));
    properties.put("kafka.bootstrap.servers", "127.0.0.1:" + settings.kafkaPort());
    properties.put("kiln.worker.id", name);
    properties.put("kiln.worker.slots", Integer.toString(settings.workerSlots()));
    properties.put(
        "kiln.worker.data-dir",
        settings.data().resolve("workers").resolve(name).toAbsolutePath().toString());
    properties.put("kiln.worker.gateway-url", gatewayUrl());
    registryHost()
        .ifPresent(
            host ->
                properties.put(
                    "kiln.worker.insecure-registries",
                    host + ",localhost:" + settings.registryPort()));
    return properties;
  }

  private ManagedProcess launch(String name, Launch launch) throws FarmException {
    launches.put(name, launch);
    return track(ServiceProcess.start(name, launch.module(), launch.properties(), settings, java));
  }

  private ManagedProcess track(ManagedProcess process) {
    processes.put(process.name(), process);
    return process;
  }

  private void awaitAllReady(Map<ManagedProcess, Integer> services) throws FarmException {
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    for (Map.Entry<ManagedProcess, Integer> service : services.entrySet()) {
      waits.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  ServiceProcess.awaitReady(service.getKey(), service.getValue(), READY_TIMEOUT);
                  out.println(
                      "  " + service.getKey().name() + " is ready on port " + service.getValue());
                } catch (FarmException e) {
                  throw new CompletionException(e);
                }
              }));
    }
    try {
      CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof FarmException farm) {
        throw farm;
      }
      throw e;
    }
  }

  private void watchForUnexpectedExits() {
    startOrder().forEach(this::watchForUnexpectedExit);
  }

  private void watchForUnexpectedExit(ManagedProcess process) {
    process
        .process()
        .onExit()
        .thenRun(
            () -> {
              // A process replaced by a restart is not the component any more.
              if (!closing
                  && processes.get(process.name()) == process
                  && !stoppedOnPurpose.contains(process.name())) {
                exitReason =
                    process.name()
                        + " stopped unexpectedly; the end of "
                        + process.logFile()
                        + ":\n"
                        + process.tail(20);
                exited.countDown();
              }
            });
  }

  /** Blocks until a component stops unexpectedly or the farm is closed. */
  public void awaitExit() throws InterruptedException {
    exited.await();
  }

  /** Why the farm stopped on its own, after {@link #awaitExit()} returned. */
  public String exitReason() {
    return exitReason;
  }

  public String gatewayUrl() {
    return "http://127.0.0.1:" + settings.gatewayPort();
  }

  /** The registry's {@code host:port}, when the farm runs one. */
  public Optional<String> registryHost() {
    return registry == null
        ? Optional.empty()
        : Optional.of("127.0.0.1:" + settings.registryPort());
  }

  public FarmSettings settings() {
    return settings;
  }

  /** The process of one component, such as {@code build-worker-2}, to stop or kill it in tests. */
  public ProcessHandle process(String name) {
    ManagedProcess process = processes.get(name);
    if (process == null) {
      throw new IllegalArgumentException(
          "no component named " + name + " in " + processes.keySet());
    }
    return process.process().toHandle();
  }

  /**
   * Kills one component and every process it started without warning ({@code kill -9}), as a crash
   * of its machine or container would, and waits until it is gone.
   */
  public void kill(String name) {
    stoppedOnPurpose.add(name);
    ProcessHandle process = process(name);
    List<ProcessHandle> started = process.descendants().toList();
    process.destroyForcibly();
    started.forEach(ProcessHandle::destroyForcibly);
    process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Stops one component as an operator would: SIGTERM, then SIGKILL after the grace. */
  public void stop(String name) {
    stoppedOnPurpose.add(name);
    ManagedProcess process = processes.get(name);
    if (process == null) {
      throw new IllegalArgumentException(
          "no component named " + name + " in " + processes.keySet());
    }
    process.stop(STOP_GRACE);
  }

  /**
   * Starts a service that was stopped or killed again, with the same settings, port and log file,
   * and waits until it is ready.
   *
   * @throws IllegalArgumentException when {@code name} is not a service, or still runs
   */
  public synchronized void restart(String name) throws FarmException {
    Launch launch = launches.get(name);
    if (launch == null) {
      throw new IllegalArgumentException("no service named " + name + " in " + launches.keySet());
    }
    if (process(name).isAlive()) {
      throw new IllegalArgumentException(name + " still runs; stop or kill it first");
    }
    out.println("Starting " + name + " again…");
    ManagedProcess fresh = launch(name, launch);
    ServiceProcess.awaitReady(fresh, launch.port(), READY_TIMEOUT);
    stoppedOnPurpose.remove(name);
    watchForUnexpectedExit(fresh);
    out.println("  " + name + " is ready on port " + launch.port());
  }

  private List<ManagedProcess> startOrder() {
    synchronized (processes) {
      return new ArrayList<>(processes.values());
    }
  }

  @Override
  public synchronized void close() {
    closing = true;
    for (ManagedProcess process : startOrder().reversed()) {
      process.stop(STOP_GRACE);
    }
    exited.countDown();
  }
}
