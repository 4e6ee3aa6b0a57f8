package dev.kiln.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kiln cancel ID}. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a build.")
final class CancelCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Mixin ServerOptions server;

  @Override
  public Integer call() {
    server.client().post("/api/v1/builds/" + id + "/cancel", null);
    System.out.println("Cancelling " + id);
    return ExitCodes.OK;
  }
}
