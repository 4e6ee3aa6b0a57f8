package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.client.KilnClient;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln token create|revoke|ls}: API tokens, for admins. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Manages API tokens (admin tokens only).",
    subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class, TokenCommand.List.class})
final class TokenCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code kiln token create NAME}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Makes a token for a user and prints it, once.")
  static final class Create implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "The user; their builds are owned by this name.")
    String name;

    @Option(
        names = "--role",
        defaultValue = "user",
        paramLabel = "user|admin",
        description = "What it may do (default: ${DEFAULT-VALUE}).")
    String role;

    @Mixin ServerOptions server;

    @Override
    public Integer call() {
      ObjectNode body = KilnClient.JSON.createObjectNode().put("name", name).put("role", role);
      JsonNode token = server.client().post("/api/v1/tokens", body);
      System.out.println(token.path("token").asText());
      System.err.println(
          "Token "
              + token.path("id").asText()
              + " for "
              + token.path("name").asText()
              + " ("
              + token.path("role").asText()
              + "); it is shown only now.");
      return ExitCodes.OK;
    }
  }

  /** {@code kiln token revoke ID}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "The token's id (tok_…), from kiln token ls.")
    String id;

    @Mixin ServerOptions server;

    @Override
    public Integer call() {
      server.client().delete("/api/v1/tokens/" + id);
      System.out.println("Revoked " + id);
      return ExitCodes.OK;
    }
  }

  /** {@code kiln token ls}. */
  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = "Lists tokens, without their secrets.")
  static final class List implements Callable<Integer> {
    @Mixin ServerOptions server;

    @Override
    public Integer call() {
      java.util.List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "NAME", "ROLE", "CREATED", "REVOKED"});
      for (JsonNode token : server.client().get("/api/v1/tokens")) {
        rows.add(
            new String[] {
              token.path("id").asText(),
              token.path("name").asText(),
              token.path("role").asText(),
              token.path("createdAt").asText(),
              token.path("revokedAt").asText("-")
            });
      }
      Table.print(rows, System.out);
      return ExitCodes.OK;
    }
  }
}
