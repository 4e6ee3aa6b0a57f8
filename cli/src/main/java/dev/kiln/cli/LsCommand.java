package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kiln ls}: builds, newest first. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists builds, newest first.")
final class LsCommand implements Callable<Integer> {
  @Option(names = "--status", paramLabel = "STATUS", description = "Only builds in this state.")
  String status;

  @Option(
      names = "--owner",
      paramLabel = "NAME",
      description = "Only builds of this owner (admins).")
  String owner;

  @Option(
      names = {"-n", "--limit"},
      defaultValue = "20",
      description = "How many (default: ${DEFAULT-VALUE}).")
  int limit;

  @Mixin ServerOptions server;

  @Override
  public Integer call() {
    StringBuilder query = new StringBuilder("/api/v1/builds?limit=" + limit);
    if (status != null) {
      query.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
    }
    if (owner != null) {
      query.append("&owner=").append(URLEncoder.encode(owner, StandardCharsets.UTF_8));
    }
    JsonNode page = server.client().get(query.toString());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "STATUS", "IMAGE", "OWNER", "CREATED", "DURATION"});
    for (JsonNode build : page.path("builds")) {
      rows.add(
          new String[] {
            build.path("id").asText(),
            build.path("status").asText(),
            build.path("spec").path("tags").path(0).asText("-"),
            build.path("owner").asText(),
            build.path("createdAt").asText("-"),
            duration(build)
          });
    }
    Table.print(rows, System.out);
    return ExitCodes.OK;
  }

  static String duration(JsonNode build) {
    if (!build.hasNonNull("startedAt")) {
      return "-";
    }
    Instant start = Instant.parse(build.get("startedAt").asText());
    Instant end =
        build.hasNonNull("finishedAt")
            ? Instant.parse(build.get("finishedAt").asText())
            : Instant.now();
    return String.format(Locale.ROOT, "%.1fs", Duration.between(start, end).toMillis() / 1000.0);
  }
}
