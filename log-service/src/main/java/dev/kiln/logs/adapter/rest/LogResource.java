package dev.kiln.logs.adapter.rest;

import dev.kiln.logs.adapter.RequestNumbers;
import dev.kiln.logs.app.LogHistory;
import dev.kiln.logs.domain.LogEntry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The stored log and steps of a build. */
@Path("/api/v1/builds/{id}")
public class LogResource {
  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 10_000;

  private final LogHistory history;

  public LogResource(LogHistory history) {
    this.history = history;
  }

  /** A page of the log of the latest attempt, or of {@code attempt}, after seq {@code after}. */
  @GET
  @Path("logs")
  @Produces(MediaType.APPLICATION_JSON)
  public LogBodies.Page page(
      @PathParam("id") String buildId,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit,
      @QueryParam("attempt") String attempt) {
    long from = RequestNumbers.read("after", after, 0L, 0, Long.MAX_VALUE);
    int size = RequestNumbers.read("limit", limit, (long) DEFAULT_LIMIT, 1, MAX_LIMIT).intValue();
    return LogBodies.Page.of(history.page(buildId, attempt(attempt), from, size));
  }

  /** The whole log of the latest attempt, or of {@code attempt}, as text: one line per line. */
  @GET
  @Path("logs")
  @Produces(MediaType.TEXT_PLAIN)
  public Response text(@PathParam("id") String buildId, @QueryParam("attempt") String attempt) {
    int resolved = history.attempt(buildId, attempt(attempt));
    StreamingOutput body =
        output -> {
          Writer writer =
              new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 64 * 1024);
          history.eachPage(
              buildId,
              resolved,
              lines -> {
                for (LogEntry line : lines) {
                  writer.write(line.text());
                  writer.write('\n');
                }
              });
          writer.flush();
        };
    return Response.ok(body, MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
  }

  /** The steps of the latest attempt, or of {@code attempt}, started and finished merged. */
  @GET
  @Path("steps")
  @Produces(MediaType.APPLICATION_JSON)
  public LogBodies.Steps steps(
      @PathParam("id") String buildId, @QueryParam("attempt") String attempt) {
    return LogBodies.Steps.of(history.steps(buildId, attempt(attempt)));
  }

  private static Optional<Integer> attempt(String value) {
    return Optional.ofNullable(RequestNumbers.read("attempt", value, null, 0, Integer.MAX_VALUE))
        .map(Long::intValue);
  }
}
