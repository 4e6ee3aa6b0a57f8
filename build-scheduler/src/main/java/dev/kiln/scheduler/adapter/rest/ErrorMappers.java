package dev.kiln.scheduler.adapter.rest;

import dev.kiln.scheduler.app.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns failures into JSON errors: never a stack trace, never an HTML page. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response storeUnavailable(StoreUnavailableException e) {
    LOG.warnf("answering 503: %s", e.getMessage());
    return json(
        Response.Status.SERVICE_UNAVAILABLE,
        new ErrorBody("database_unavailable", "the scheduler's database does not answer", null));
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    Response.StatusType status = e.getResponse().getStatusInfo();
    String phrase = status.getReasonPhrase();
    String code = phrase == null ? "http_" + status.getStatusCode() : phrase.toLowerCase();
    code = code.replace(' ', '_');
    return json(status, new ErrorBody(code, e.getMessage(), null));
  }

  private static Response json(Response.StatusType status, ErrorBody body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }
}
