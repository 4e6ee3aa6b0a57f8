package dev.kiln.cli;

import dev.kiln.cli.client.ClientConfig;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmException;
import dev.kiln.cli.farm.FarmSettings;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln up}: the whole farm on this machine, until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a whole farm on this machine: a Kafka broker, PostgreSQL, a registry (when",
      "docker-registry is installed), the gateway, the scheduler, the log-service and the workers.",
      "Ctrl-C stops them all. Data stays in the data directory for the next start."
    })
final class UpCommand implements Callable<Integer> {
  @Option(
      names = "--workers",
      defaultValue = "1",
      description = "How many build workers to run (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--log-services",
      defaultValue = "1",
      description =
          "How many log-services to run; the gateway spreads log watchers over them"
              + " (default: ${DEFAULT-VALUE}).")
  int logServices;

  @Option(
      names = "--data",
      defaultValue = ".kiln",
      description =
          "Where the farm keeps its data, logs and pid files (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description =
          "The gateway's port, the farm's one public address (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--port-base",
      description = {
        "Moves every port of the farm to this base and above (gateway = base), to run a second",
        "farm beside the first."
      })
  Integer portBase;

  @Option(
      names = "--home",
      defaultValue = "${sys:kiln.home:-.}",
      description = "The Kiln checkout whose built services to run (default: ${DEFAULT-VALUE}).")
  Path home;

  @Override
  public Integer call() throws InterruptedException {
    PrintStream out = System.out;
    if (workers < 1) {
      System.err.println("kiln up: --workers must be at least 1");
      return 2;
    }
    if (logServices < 1) {
      System.err.println("kiln up: --log-services must be at least 1");
      return 2;
    }
    FarmSettings settings =
        FarmSettings.defaults(home, data).withWorkers(workers).withLogServices(logServices);
    settings = portBase != null ? settings.withPortBase(portBase) : settings.withGatewayPort(port);
    Farm farm = new Farm(settings, out);
    // Set before the farm is closed, so that the farm's end then counts as asked for.
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  out.println();
                  out.println("Stopping the farm…");
                  farm.close();
                  out.println("Stopped.");
                }));
    boolean firstStart = !Files.exists(farm.adminTokenFile());
    try {
      farm.start();
    } catch (FarmException e) {
      System.err.println("kiln up: " + e.getMessage());
      return 1;
    }
    if (firstStart) {
      showFirstAdminToken(farm, out);
    }
    out.println();
    out.println("Kiln is running. Press Ctrl-C to stop it.");
    out.println("  API        " + farm.gatewayUrl() + "/api/v1/builds");
    out.println("  Health     " + farm.gatewayUrl() + "/q/health");
    farm.registryHost()
        .ifPresent(
            host -> out.println("  Registry   " + host + " (push to " + host + "/<name>:<tag>)"));
    out.println("  Data       " + settings.data().toAbsolutePath().normalize());
    out.println("  Logs       " + settings.logs().toAbsolutePath().normalize());
    out.println("  Token      " + farm.adminTokenFile().toAbsolutePath().normalize());
    farm.awaitExit();
    if (!stopping.get()) {
      System.err.println("kiln up: " + farm.exitReason());
      return 1;
    }
    return 0;
  }

  /**
   * Prints the admin token the gateway made on the farm's first start, and keeps it where the CLI
   * looks, so that the next {@code kiln build} just works.
   */
  private static void showFirstAdminToken(Farm farm, PrintStream out) {
    String token = farm.adminToken();
    URI server = URI.create(farm.gatewayUrl());
    Path config = ClientConfig.file(System.getenv());
    boolean stored = ClientConfig.store(config, server, token);
    out.println();
    out.println("This farm's admin token (shown this once):");
    out.println("  " + token);
    out.println(
        stored
            ? "The kiln CLI will use it: it is kept in " + config + "."
            : config
                + " names another server, so it was left as it is; use --token or KILN_TOKEN.");
  }
}
