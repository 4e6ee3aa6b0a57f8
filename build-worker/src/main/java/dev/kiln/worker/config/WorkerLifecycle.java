package dev.kiln.worker.config;

import dev.kiln.context.Trees;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.Topics;
import dev.kiln.messaging.EventConsumer;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.messaging.TopicAdmin;
import dev.kiln.worker.adapter.buildah.BuildahEngine;
import dev.kiln.worker.adapter.buildah.BuildahSettings;
import dev.kiln.worker.adapter.buildah.RegistriesConf;
import dev.kiln.worker.adapter.buildah.RegistryAuth;
import dev.kiln.worker.adapter.gateway.GatewayClient;
import dev.kiln.worker.adapter.git.GitMirrors;
import dev.kiln.worker.adapter.kafka.CommandConsumer;
import dev.kiln.worker.adapter.kafka.KafkaEventSink;
import dev.kiln.worker.app.BuildEngine;
import dev.kiln.worker.app.BuildExecution;
import dev.kiln.worker.app.BuildRunner;
import dev.kiln.worker.app.CachedContexts;
import dev.kiln.worker.app.ContextFetcher;
import dev.kiln.worker.app.EventSink;
import dev.kiln.worker.app.Heartbeats;
import dev.kiln.worker.app.LogBatcher;
import dev.kiln.worker.domain.DockerfileCheck;
import dev.kiln.worker.domain.LineCap;
import dev.kiln.worker.domain.SecretMask;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts and stops the worker. At start: checks buildah, prepares the data folder and its
 * registries.conf, creates the topics, starts the commands consumer and waits until it owns its
 * partitions before the first heartbeat, so the scheduler never assigns a build before the worker
 * listens. At stop: announces it is stopping, takes no more builds, and stops the running ones.
 */
@ApplicationScoped
public class WorkerLifecycle {
  private static final Logger LOG = Logger.getLogger(WorkerLifecycle.class);
  private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(60);

  @Inject WorkerSettings settings;
  @Inject KafkaSettings kafka;
  @Inject MeterRegistry meters;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  private String workerId;
  private BuildahEngine engine;
  private EventPublisher publisher;
  private EventConsumer commands;
  private ScheduledExecutorService timer;
  private BuildRunner runner;
  private Heartbeats heartbeats;
  private volatile boolean registered;
  private SecretMask workerSecrets = SecretMask.NONE;

  void onStart(@Observes StartupEvent event) throws IOException, InterruptedException {
    workerId = settings.id().filter(id -> !id.isBlank()).orElseGet(WorkerIds::generate);
    Path dataDir = Path.of(settings.dataDir()).toAbsolutePath().normalize();
    BuildahSettings buildah = prepareDataDir(dataDir);
    engine = new BuildahEngine(buildah);
    String tools;
    try {
      tools = engine.verify();
    } catch (IllegalStateException e) {
      throw new IllegalStateException("build-worker cannot start: " + e.getMessage(), e);
    }
    engine.removeLeftoverContainers();
    TopicAdmin.ensureTopics(bootstrapServers, kafka.partitions(), kafka.replication());

    publisher =
        new EventPublisher(
            KafkaClients.producerConfig(bootstrapServers, "kiln-worker-" + workerId));
    EventSink events = new KafkaEventSink(publisher);
    timer =
        Executors.newScheduledThreadPool(
            2, Thread.ofPlatform().daemon().name("worker-timer-", 0).factory());
    GatewayClient gateway = new GatewayClient(settings.gatewayUrl(), settings.gatewayToken());
    long contextCache = settings.contextCacheSize().asLongValue();
    ContextFetcher contexts =
        contextCache > 0
            ? new CachedContexts(
                gateway,
                Files.createDirectories(dataDir.resolve("contexts")),
                contextCache,
                Clock.systemUTC())
            : gateway;
    GitMirrors repositories =
        new GitMirrors(
            new GitMirrors.Settings(
                Files.createDirectories(dataDir.resolve("git")),
                settings.git().allowFileUrls(),
                settings.git().tokens()));
    BuildExecution.Services services =
        new BuildExecution.Services(
            workerId,
            dataDir.resolve("work"),
            engine,
            Platform.current(),
            new DockerfileCheck(settings.allowedBaseImages().orElse(List.of())),
            contexts,
            repositories,
            gateway,
            events,
            new LogBatcher.Limits(
                settings.logBatchLines(),
                settings.logBatchBytes().asLongValue(),
                settings.logLinger()),
            new LineCap((int) settings.maxLineBytes().asLongValue()),
            settings.maxLogBytes().asLongValue(),
            workerSecrets,
            timer,
            REPORT_TIMEOUT,
            Clock.systemUTC());
    runner =
        new BuildRunner(
            workerId,
            settings.slots(),
            events,
            assignment -> new BuildExecution(assignment, services),
            REPORT_TIMEOUT,
            Clock.systemUTC(),
            this::beatSoon);
    heartbeats =
        new Heartbeats(
            workerId,
            settings.slots(),
            Platform.current(),
            settings.labels(),
            Instant.now(),
            runner,
            events);
    meters.gauge("kiln.worker.slots.free", runner, r -> r.status().slotsFree());
    meters.gauge("kiln.worker.builds.running", runner, r -> r.status().running().size());

    String group = "kiln-worker-" + workerId;
    commands =
        new EventConsumer(
            "commands",
            KafkaClients.consumerConfig(bootstrapServers, group, group, false),
            List.of(Topics.BUILD_COMMANDS),
            new CommandConsumer(workerId, runner)::handle);
    commands.start();
    if (!commands.awaitAssignment(ASSIGNMENT_TIMEOUT)) {
      throw new IllegalStateException(
          "build-worker cannot start: Kafka at "
              + bootstrapServers
              + " gave the commands consumer no partitions within "
              + ASSIGNMENT_TIMEOUT);
    }
    registered = true;
    await(heartbeats.beat());
    long every = settings.heartbeatInterval().toMillis();
    timer.scheduleAtFixedRate(this::beatSoon, every, every, TimeUnit.MILLISECONDS);
    LOG.infof(
        "build worker %s ready with %d slots (%s; data in %s)",
        workerId, settings.slots(), tools, dataDir);
  }

  void onStop(@Observes ShutdownEvent event) throws InterruptedException {
    if (runner == null) {
      return;
    }
    runner.stopTaking();
    if (registered) {
      await(heartbeats.beat());
    }
    if (commands != null) {
      commands.close();
    }
    registered = false;
    if (!runner.stopRunning(settings.cancelGrace().plus(REPORT_TIMEOUT))) {
      LOG.warn("some builds did not report before the worker stopped");
    }
    if (publisher != null) {
      await(heartbeats.beat());
      publisher.close();
    }
    timer.shutdownNow();
  }

  /** This worker's id. */
  public String workerId() {
    return workerId;
  }

  /** The engine, once the worker started. */
  public BuildEngine engine() {
    return engine;
  }

  /** Whether the commands consumer owns its partitions, so assignments reach the worker. */
  public boolean registered() {
    return registered;
  }

  private void beatSoon() {
    if (registered) {
      heartbeats
          .beat()
          .exceptionally(
              failure -> {
                LOG.warnf("heartbeat not published: %s", failure.getMessage());
                return null;
              });
    }
  }

  private BuildahSettings prepareDataDir(Path dataDir) throws IOException {
    Path work = Files.createDirectories(dataDir.resolve("work"));
    clearLeftovers(work);
    Path registriesConf = dataDir.resolve("registries.conf");
    List<String> insecure = settings.insecureRegistries().orElse(List.of());
    RegistriesConf.write(registriesConf, insecure, settings.registryMirrors().orElse(List.of()));
    Path authFile = null;
    Set<String> secrets = new HashSet<>(settings.git().tokens().values());
    if (settings.registryAuthFile().isPresent() || !settings.registryCredentials().isEmpty()) {
      RegistryAuth.Written auth =
          RegistryAuth.write(
              settings.registryAuthFile().map(Path::of).orElse(null),
              settings.registryCredentials(),
              dataDir.resolve("auth.json"));
      authFile = auth.file();
      secrets.addAll(auth.secrets());
    }
    workerSecrets = SecretMask.of(secrets);
    return new BuildahSettings(
        settings.buildah(),
        settings.skopeo(),
        Files.createDirectories(dataDir.resolve("storage")),
        Files.createDirectories(dataDir.resolve("runroot")),
        settings.storageDriver(),
        settings.isolation(),
        settings.runtime(),
        new HashSet<>(insecure),
        registriesConf,
        Files.createDirectories(dataDir.resolve("tmp")),
        settings.cancelGrace(),
        settings.cacheRepository().filter(repository -> !repository.isBlank()).orElse(null),
        authFile,
        settings.storageMaxSize().map(MemorySize::asLongValue).orElse(0L));
  }

  /** Workspaces of builds that a crash or kill interrupted are of no use to anyone. */
  private static void clearLeftovers(Path work) throws IOException {
    try (Stream<Path> leftovers = Files.list(work)) {
      for (Path leftover : leftovers.toList()) {
        Trees.delete(leftover);
      }
    }
  }

  private static void await(CompletableFuture<Void> stored) {
    try {
      stored.get(REPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warnf("heartbeat not published: %s", e.getMessage());
    }
  }
}
