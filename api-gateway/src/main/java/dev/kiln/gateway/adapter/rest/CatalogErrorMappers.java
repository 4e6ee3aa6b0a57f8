package dev.kiln.gateway.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.gateway.app.catalog.CatalogFailures;
import dev.kiln.gateway.domain.catalog.InvalidCatalogPathException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** JSON error answers for the catalog's failures. */
public class CatalogErrorMappers {
  private static final Logger LOG = Logger.getLogger(CatalogErrorMappers.class);

  /**
   * The body of a 409 for a file changed since the commit an update was based on.
   *
   * @param currentCommit the catalog's head now
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConflictError(String error, String message, String field, String currentCommit) {}

  @ServerExceptionMapper
  public Response conflict(CatalogFailures.Conflict e) {
    return Response.status(409)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ConflictError("conflict", e.getMessage(), "baseCommit", e.currentCommit()))
        .build();
  }

  @ServerExceptionMapper
  public Response exists(CatalogFailures.AlreadyExists e) {
    return ApiError.response(409, "already_exists", e.getMessage(), "name");
  }

  @ServerExceptionMapper
  public Response invalidPath(InvalidCatalogPathException e) {
    return ApiError.response(400, "invalid_field", e.getMessage(), e.field());
  }

  @ServerExceptionMapper
  public Response rejected(CatalogFailures.RemoteRejected e) {
    return ApiError.response(409, "remote_rejected", e.getMessage(), "url");
  }

  @ServerExceptionMapper
  public Response unavailable(CatalogFailures.RemoteUnavailable e) {
    LOG.infof("catalog remote failed: %s", e.getMessage());
    return ApiError.response(502, "remote_unavailable", e.getMessage(), "url");
  }
}
