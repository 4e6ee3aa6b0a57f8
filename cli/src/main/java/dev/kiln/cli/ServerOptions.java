package dev.kiln.cli;

import dev.kiln.cli.client.ClientConfig;
import dev.kiln.cli.client.KilnClient;
import picocli.CommandLine.Option;

/** {@code --server} and {@code --token}, shared by every command that calls a server. */
final class ServerOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "The Kiln server (default: $KILN_SERVER, the config file, or http://127.0.0.1:8080).")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "The API token (default: $KILN_TOKEN, or the config file that kiln up writes).")
  String token;

  KilnClient client() {
    try {
      return new KilnClient(ClientConfig.resolve(server, token, System.getenv()));
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
  }
}
