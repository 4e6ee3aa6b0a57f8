package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.client.KilnClient;
import dev.kiln.cli.client.LogFollower;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln logs ID [-f] [--after N]}: a build's log, stored or live. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a build's log. With -f it follows the build to its end, and picks up where it was",
      "when the connection drops."
    })
final class LogsCommand implements Callable<Integer> {
  private static final int PAGE = 1000;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow the log until the build ends.")
  boolean follow;

  @Option(
      names = "--after",
      defaultValue = "0",
      paramLabel = "SEQ",
      description = "Start after this line number.")
  long after;

  @Mixin ServerOptions server;

  @Override
  public Integer call() throws InterruptedException {
    if (after < 0) {
      throw new UsageProblem("--after must be 0 or more");
    }
    KilnClient client = server.client();
    if (follow) {
      new LogFollower(
              client,
              id,
              after,
              new LogFollower.Listener() {
                @Override
                public void message(JsonNode message) {
                  for (JsonNode line : message.path("lines")) {
                    System.out.println(line.path("text").asText());
                  }
                }

                @Override
                public void reconnecting(String why, Duration pause) {
                  System.err.println("kiln logs: " + why + "; reconnecting");
                }
              })
          .follow();
      return ExitCodes.OK;
    }
    long next = after;
    while (true) {
      JsonNode page = client.get("/api/v1/builds/" + id + "/logs?after=" + next + "&limit=" + PAGE);
      for (JsonNode line : page.path("lines")) {
        System.out.println(line.path("text").asText());
      }
      long last = page.path("next").asLong(next);
      if (page.path("complete").asBoolean() || last == next) {
        return ExitCodes.OK;
      }
      next = last;
    }
  }
}
