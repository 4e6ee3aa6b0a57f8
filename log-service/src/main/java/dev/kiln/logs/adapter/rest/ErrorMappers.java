package dev.kiln.logs.adapter.rest;

import dev.kiln.logs.adapter.RequestNumbers;
import dev.kiln.logs.app.AttemptNotFoundException;
import dev.kiln.logs.app.BuildNotFoundException;
import dev.kiln.logs.app.LogStoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns failures into JSON error answers; never a stack trace, never an HTML page. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response badNumber(RequestNumbers.BadNumberException e) {
    return answer(400, new ApiError("bad_parameter", e.getMessage(), e.parameter()));
  }

  @ServerExceptionMapper
  public Response buildNotFound(BuildNotFoundException e) {
    return answer(404, new ApiError("build_not_found", e.getMessage(), null));
  }

  @ServerExceptionMapper
  public Response attemptNotFound(AttemptNotFoundException e) {
    return answer(404, new ApiError("attempt_not_found", e.getMessage(), "attempt"));
  }

  @ServerExceptionMapper
  public Response storeFailed(LogStoreException e) {
    LOG.warn(e.getMessage());
    return answer(
        503, new ApiError("unavailable", "the log database cannot be reached; retry later", null));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String code =
        Response.Status.fromStatusCode(status) == null
            ? "http_" + status
            : Response.Status.fromStatusCode(status).name().toLowerCase(Locale.ROOT);
    return answer(status, new ApiError(code, e.getMessage(), null));
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("request failed", e);
    return answer(500, new ApiError("internal", "the request failed inside log-service", null));
  }

  private static Response answer(int status, ApiError error) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
  }
}
