package dev.kiln.cli.farm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An Apache Kafka broker in KRaft mode (one node that is broker and controller), run as its own JVM
 * from the {@code kafka_2.13} jars copied beside the CLI.
 */
final class KafkaBrokerProcess {
  private KafkaBrokerProcess() {}

  static ManagedProcess start(FarmSettings settings, Path kafkaLibs, String java)
      throws FarmException {
    if (!Files.isDirectory(kafkaLibs)) {
      throw new FarmException(
          "the Kafka broker jars are missing at " + kafkaLibs + "; build Kiln with ./mvnw package");
    }
    Path home = settings.data().resolve("kafka");
    Path config = home.resolve("server.properties");
    Path logConfig = home.resolve("log4j2.properties");
    String classpath = kafkaLibs.toAbsolutePath() + "/*";
    try {
      Files.createDirectories(home);
      Files.writeString(config, serverProperties(settings, home.resolve("data")));
      Files.writeString(logConfig, LOG_CONFIG);
      if (!Files.exists(home.resolve("data").resolve("meta.properties"))) {
        format(java, classpath, config, settings);
      }
    } catch (IOException e) {
      throw new FarmException("cannot prepare the Kafka broker in " + home + ": " + e, e);
    }
    ManagedProcess broker =
        ManagedProcess.start(
            "kafka",
            List.of(
                java,
                "-Xms128m",
                "-Xmx512m",
                "-Dlog4j2.configurationFile=" + logConfig.toAbsolutePath(),
                "-cp",
                classpath,
                "kafka.Kafka",
                config.toAbsolutePath().toString()),
            Map.of(),
            settings);
    awaitPort(broker, settings.kafkaPort(), Duration.ofSeconds(60));
    return broker;
  }

  private static void format(String java, String classpath, Path config, FarmSettings settings)
      throws IOException, FarmException {
    Process format =
        new ProcessBuilder(
                java,
                "-cp",
                classpath,
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                randomClusterId(),
                "--config",
                config.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(settings.logs().resolve("kafka.log").toFile()))
            .start();
    try {
      if (format.waitFor() != 0) {
        throw new FarmException(
            "formatting Kafka's storage failed; see " + settings.logs().resolve("kafka.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted while formatting Kafka's storage", e);
    }
  }

  /**
   * Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding; one that starts
   * with {@code -} would read as an option on the storage tool's command line, so none does.
   */
  static String randomClusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes = ByteBuffer.allocate(16);
      bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private static String serverProperties(FarmSettings settings, Path logDirs) {
    int port = settings.kafkaPort();
    int controller = port + 1;
    return """
        process.roles=broker,controller
        node.id=1
        controller.quorum.voters=1@127.0.0.1:%d
        listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
        advertised.listeners=PLAINTEXT://127.0.0.1:%d
        controller.listener.names=CONTROLLER
        listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
        inter.broker.listener.name=PLAINTEXT
        log.dirs=%s
        num.partitions=8
        offsets.topic.replication.factor=1
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1
        group.initial.rebalance.delay.ms=0
        auto.create.topics.enable=false
        """
        .formatted(controller, port, controller, port, logDirs.toAbsolutePath());
  }

  static void awaitPort(ManagedProcess process, int port, Duration timeout) throws FarmException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new FarmException(process.name() + " exited while starting:\n" + process.tail(20));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        sleep(Duration.ofMillis(200));
      }
    }
    throw new FarmException(
        process.name() + " did not open port " + port + " within " + timeout.toSeconds() + " s");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final String LOG_CONFIG =
      """
      status = warn
      appender.console.type = Console
      appender.console.name = STDOUT
      appender.console.layout.type = PatternLayout
      appender.console.layout.pattern = [%d] %p %m (%c)%n
      rootLogger.level = info
      rootLogger.appenderRef.stdout.ref = STDOUT
      logger.kafka.name = kafka
      logger.kafka.level = warn
      logger.apache.name = org.apache.kafka
      logger.apache.level = warn
      """;
}
