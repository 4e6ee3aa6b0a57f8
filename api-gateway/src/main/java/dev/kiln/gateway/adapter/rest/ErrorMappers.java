package dev.kiln.gateway.adapter.rest;

import dev.kiln.gateway.app.Failures;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into a JSON error answer with a status that says whose fault it was. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @Inject RoutingContext routing;

  @ServerExceptionMapper
  public Response rejected(Failures.RequestRejected e) {
    return answer(400, e.code(), e.getMessage(), e.field());
  }

  @ServerExceptionMapper
  public Response buildNotFound(Failures.BuildNotFound e) {
    return answer(404, "not_found", e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response nothingStored(Failures.NothingStored e) {
    return answer(404, "not_found", e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response forbidden(Failures.Forbidden e) {
    return answer(403, "forbidden", e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response conflict(Failures.BuildConflict e) {
    return answer(409, e.code(), e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response tooLarge(Failures.UploadTooLarge e) {
    return answer(413, "too_large", e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response interrupted(Failures.UploadInterrupted e) {
    return answer(400, "upload_interrupted", e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response unavailable(Failures.StorageUnavailable e) {
    LOG.warnf(e, "storage unavailable: %s", e.getMessage());
    return answer(
        503, "unavailable", e.getMessage() + "; nothing was changed, try again later", null);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String code =
        switch (status) {
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 406 -> "not_acceptable";
          case 415 -> "unsupported_media_type";
          default -> status >= 500 ? "internal" : "bad_request";
        };
    return answer(status, code, e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.error("request failed", e);
    return answer(500, "internal", "the gateway failed to answer; its log says why", null);
  }

  /**
   * A request refused before its body was read (an upload over the limit, one for an unknown build)
   * leaves the rest of the body unread; closing the connection after the answer spares the client
   * from sending it into a connection nobody reads any more.
   */
  private Response answer(int status, String error, String message, String field) {
    HttpServerRequest request = routing.request();
    if (!request.isEnded() && request.method() != HttpMethod.GET) {
      request.response().endHandler(ignored -> request.connection().close());
    }
    return ApiError.response(status, error, message, field);
  }
}
