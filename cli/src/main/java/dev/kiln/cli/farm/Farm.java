package dev.kiln.cli.farm;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
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
  // Read by exit watchers on other threads; insertion order is start order, kept by a restart.
  private final Map<String, ManagedProcess> processes =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Launch> launches = new LinkedHashMap<>();

  /** The secret workers show the gateway's internal API, new for every farm started. */
  private final String internalToken = newSecret();

  private final Set<String> stoppedOnPurpose = ConcurrentHashMap.newKeySet();
  private final CountDownLatch exited = new CountDownLatch(1);
  private ManagedProcess registry;
  private volatile boolean closing;
  private volatile String exitReason = "";

  public Farm(FarmSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * How to start one component again, as the first start did.
   *
   * @param start starts the process (and waits for a broker or database to listen)
   * @param readyPort the port whose {@code /q/health/ready} tells a service is ready; {@code null}
   *     for components that are ready once started
   */
  private record Launch(Starter start, Integer readyPort) {}

  @FunctionalInterface
  private interface Starter {
    ManagedProcess start() throws FarmException;
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
   * the scheduler runs no workers, so that nothing else takes the machine's time.
   */
  public synchronized void start(Set<String> modules) throws FarmException {
    if (!SERVICES.containsAll(modules)) {
      throw new IllegalArgumentException("services are " + SERVICES + ", not " + modules);
    }
    prepareDirectories();
    requireFreePorts();
    out.println("Starting PostgreSQL on port " + settings.postgresPort() + "…");
    launch("postgres", () -> EmbeddedDatabase.start(settings, java), null);
    out.println("Starting Kafka on port " + settings.kafkaPort() + "…");
    launch("kafka", () -> KafkaBrokerProcess.start(settings, kafkaLibs(), java), null);
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
    List<String> services = new ArrayList<>();
    for (int n = 1; modules.contains("log-service") && n <= settings.logServices(); n++) {
      String name = logServiceName(n);
      int port = settings.logServicePort(n);
      services.add(
          launch(
              name,
              () ->
                  ServiceProcess.start(name, "log-service", common(port), Map.of(), settings, java),
              port));
    }
    for (int n = 1; modules.contains("build-scheduler") && n <= settings.schedulers(); n++) {
      int port = settings.schedulerPort(n);
      String name = settings.schedulers() == 1 ? "build-scheduler" : "build-scheduler-" + n;
      services.add(
          launch(
              name,
              () ->
                  ServiceProcess.start(
                      name, "build-scheduler", common(port), Map.of(), settings, java),
              port));
    }
    if (modules.contains("api-gateway")) {
      services.add(
          launch(
              "api-gateway",
              () ->
                  ServiceProcess.start(
                      "api-gateway",
                      "api-gateway",
                      gatewayProperties(),
                      Map.of("kiln.gateway.auth.internal-token", internalToken),
                      settings,
                      java),
              settings.gatewayPort()));
    }
    for (int n = 1; modules.contains("build-worker") && n <= settings.workers(); n++) {
      int port = settings.firstWorkerPort() + n - 1;
      String name = "build-worker-" + n;
      services.add(
          launch(
              name,
              () ->
                  ServiceProcess.start(
                      name,
                      "build-worker",
                      workerProperties(name, port),
                      Map.of("kiln.worker.gateway-token", internalToken),
                      settings,
                      java),
              port));
    }
    awaitAllReady(services);
    processes.values().forEach(this::watchForUnexpectedExit);
  }

  private String launch(String name, Starter start, Integer readyPort) throws FarmException {
    launches.put(name, new Launch(start, readyPort));
    track(start.start());
    return name;
  }

  /** The name of log-service n: {@code log-service} when the farm runs one. */
  private String logServiceName(int n) {
    return settings.logServices() == 1 ? "log-service" : "log-service-" + n;
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
    for (int n = 1; n <= settings.logServices(); n++) {
      ports.put(logServiceName(n), settings.logServicePort(n));
    }
    for (int n = 1; n <= settings.workers(); n++) {
      ports.put("build-worker-" + n, settings.firstWorkerPort() + n - 1);
    }
    ports.put("PostgreSQL", settings.postgresPort());
    ports.put("Kafka", settings.kafkaPort());
    ports.put("the Kafka controller", settings.kafkaPort() + 1);
    if (Executables.find(RegistryProcess.BINARY).isPresent()) {
      ports.put("the registry", settings.registryPort());
    }
    Map<Integer, String> owners = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> port : ports.entrySet()) {
      String other = owners.putIfAbsent(port.getValue(), port.getKey());
      if (other != null) {
        throw new FarmException(
            port.getKey() + " and " + other + " would both listen on port " + port.getValue());
      }
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

  private static String newSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
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
    properties.put("kiln.gateway.log-service-urls", String.join(",", logServiceUrls()));
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
    properties.putAll(settings.workerSettings());
    return properties;
  }

  private ManagedProcess track(ManagedProcess process) {
    processes.put(process.name(), process);
    return process;
  }

  private void awaitAllReady(List<String> services) throws FarmException {
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    for (String name : services) {
      waits.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  awaitReady(name);
                  out.println("  " + name + " is ready on port " + launches.get(name).readyPort());
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

  private void awaitReady(String name) throws FarmException {
    Integer port = launches.get(name).readyPort();
    if (port != null) {
      ServiceProcess.awaitReady(processes.get(name), port, READY_TIMEOUT);
    }
  }

  private void watchForUnexpectedExit(ManagedProcess process) {
    process
        .process()
        .onExit()
        .thenRun(
            () -> {
              // A process that was restarted is no longer the component's current one.
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

  /** The base URL of each log-service, in order. */
  public List<String> logServiceUrls() {
    List<String> urls = new ArrayList<>();
    for (int n = 1; n <= settings.logServices(); n++) {
      urls.add("http://127.0.0.1:" + settings.logServicePort(n));
    }
    return urls;
  }

  /** The names of the log-service processes, in order. */
  public List<String> logServiceNames() {
    List<String> names = new ArrayList<>();
    for (int n = 1; n <= settings.logServices(); n++) {
      names.add(logServiceName(n));
    }
    return names;
  }

  /** The broker's address, for clients such as benchmarks. */
  public String kafkaBootstrapServers() {
    return "127.0.0.1:" + settings.kafkaPort();
  }

  /** The JDBC URL of the farm's database, with its credentials. */
  public String jdbcUrl() {
    return EmbeddedDatabase.jdbcUrl(settings)
        + "?user="
        + EmbeddedDatabase.USER
        + "&password="
        + EmbeddedDatabase.PASSWORD;
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
    return component(name).process().toHandle();
  }

  /** Stops one component the way Ctrl-C would, and waits until it is gone. */
  public void stop(String name) {
    ManagedProcess process = component(name);
    stoppedOnPurpose.add(name);
    process.stop(STOP_GRACE);
  }

  private ManagedProcess component(String name) {
    ManagedProcess process = processes.get(name);
    if (process == null) {
      throw new IllegalArgumentException(
          "no component named " + name + " in " + processes.keySet());
    }
    return process;
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

  /**
   * Starts one component again, on the same ports and data, and waits until it is ready. A
   * component still running is stopped first (SIGTERM, then SIGKILL after the grace); one that was
   * killed is only started.
   */
  public synchronized void restart(String name) throws FarmException {
    Launch launch = launches.get(name);
    if (launch == null) {
      throw new IllegalArgumentException("no component named " + name + " in " + launches.keySet());
    }
    stoppedOnPurpose.add(name);
    ManagedProcess old = processes.get(name);
    old.stop(STOP_GRACE);
    old.process().onExit().join();
    ManagedProcess started = launch.start().start();
    processes.put(name, started);
    awaitReady(name);
    stoppedOnPurpose.remove(name);
    watchForUnexpectedExit(started);
  }

  @Override
  public synchronized void close() {
    closing = true;
    List<ManagedProcess> running;
    synchronized (processes) {
      running = new ArrayList<>(processes.values());
    }
    for (ManagedProcess process : running.reversed()) {
      process.stop(STOP_GRACE);
    }
    exited.countDown();
  }
}
