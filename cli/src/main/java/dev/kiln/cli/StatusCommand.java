package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln status ID}: one build in detail. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows one build.")
final class StatusCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(names = "--json", description = "The build as the API returns it.")
  boolean json;

  @Mixin ServerOptions server;

  @Override
  public Integer call() {
    JsonNode build = server.client().get("/api/v1/builds/" + id);
    if (json) {
      System.out.println(build.toPrettyString());
      return ExitCodes.OK;
    }
    System.out.println("ID        " + build.path("id").asText());
    System.out.println("Status    " + build.path("status").asText() + reason(build));
    System.out.println("Owner     " + build.path("owner").asText());
    System.out.println("Attempt   " + build.path("attempt").asInt());
    System.out.println("Worker    " + build.path("worker").asText("-"));
    System.out.println("Created   " + build.path("createdAt").asText("-"));
    System.out.println("Started   " + build.path("startedAt").asText("-"));
    System.out.println("Finished  " + build.path("finishedAt").asText("-"));
    System.out.println("Duration  " + LsCommand.duration(build));
    List<String> tags = new ArrayList<>();
    build.path("spec").path("tags").forEach(tag -> tags.add(tag.asText()));
    if (!tags.isEmpty()) {
      System.out.println("Tags      " + String.join(", ", tags));
    }
    if (build.has("image") || build.has("error")) {
      System.out.println();
      BuildReport.print(build, System.out);
    }
    return ExitCodes.OK;
  }

  private static String reason(JsonNode build) {
    String reason = build.path("reason").asText("");
    return reason.isEmpty() || reason.equals(build.path("status").asText())
        ? ""
        : " (" + reason + ")";
  }
}
