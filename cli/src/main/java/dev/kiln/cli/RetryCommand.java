package dev.kiln.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kiln retry ID}: the same build again, as a new build. */
@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    description = "Builds the same spec again as a new build and prints its id.")
final class RetryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Mixin ServerOptions server;

  @Override
  public Integer call() {
    String newId = server.client().post("/api/v1/builds/" + id + "/retry", null).get("id").asText();
    System.out.println(newId);
    return ExitCodes.OK;
  }
}
