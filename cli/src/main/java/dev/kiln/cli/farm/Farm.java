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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

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
  private final Map<String, ManagedProcess> processes = new LinkedHashMap<>();
  private final Set<String> stoppedOnPurpose = ConcurrentHashMap.newKeySet();
  private final CountDownLatch exited = new CountDownLatch(1);
  private ManagedProcess registry;
  private volatile boolean closing;
  private volatile String exitReason = "";

  public Farm(FarmSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Starts every component and waits until each service is ready. */
  public synchronized void start() throws FarmException {
    prepareDirectories();
    requireFreePorts();
    out.println("Starting PostgreSQL on port " + settings.postgresPort() + "…");
    track(EmbeddedDatabase.start(settings, java));
    out.println("Starting Kafka on port " + settings.kafkaPort() + "…");
    track(KafkaBrokerProcess.start(settings, kafkaLibs(), java));
    registry = RegistryProcess.start(settings).orElse(null);
    if (registry != null) {
      track(registry);
      out.println("Started a registry at " + registryHost().orElseThrow() + ".");
    } else {
      out.println(
          "No registry: docker-registry is not installed (builds can still push elsewhere or"
              + " keep an OCI archive).");
    }
    out.println("Starting the services…");
    Map<ManagedProcess, Integer> services = new LinkedHashMap<>();
    services.put(
        track(
            ServiceProcess.start(
                "log-service", "log-service", common(settings.logServicePort()), settings, java)),
        settings.logServicePort());
    for (int n = 1; n <= settings.schedulers(); n++) {
      int port = settings.schedulerPort() + n - 1;
      String name = settings.schedulers() == 1 ? "build-scheduler" : "build-scheduler-" + n;
      services.put(
          track(ServiceProcess.start(name, "build-scheduler", common(port), settings, java)), port);
    }
    services.put(
        track(
            ServiceProcess.start(
                "api-gateway", "api-gateway", gatewayProperties(), settings, java)),
        settings.gatewayPort());
    for (int n = 1; n <= settings.workers(); n++) {
      int port = settings.firstWorkerPort() + n - 1;
      String name = "build-worker-" + n;
      services.put(
          track(
              ServiceProcess.start(
                  name, "build-worker", workerProperties(name, port), settings, java)),
          port);
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
      ports.put("build-scheduler " + n, settings.schedulerPort() + n - 1);
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
    properties.put(
        "kiln.gateway.auth.bootstrap-token-file", adminTokenFile().toAbsolutePath().toString());
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
    for (ManagedProcess process : processes.values()) {
      process
          .process()
          .onExit()
          .thenRun(
              () -> {
                if (!closing && !stoppedOnPurpose.contains(process.name())) {
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

  /** Where the gateway writes the farm's first admin token. */
  public Path adminTokenFile() {
    return settings.data().resolve("admin-token");
  }

  /** The farm's first admin token, once the gateway has started. */
  public String adminToken() {
    try {
      return Files.readString(adminTokenFile()).strip();
    } catch (IOException e) {
      throw new IllegalStateException("the gateway wrote no admin token to " + adminTokenFile(), e);
    }
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

  /** Kills one component without warning ({@code kill -9}), as a crash would. */
  public void kill(String name) {
    stoppedOnPurpose.add(name);
    process(name).destroyForcibly();
  }

  @Override
  public synchronized void close() {
    closing = true;
    for (ManagedProcess process : new ArrayList<>(processes.values()).reversed()) {
      process.stop(STOP_GRACE);
    }
    exited.countDown();
  }
}
