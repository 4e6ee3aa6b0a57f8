package dev.kiln.gateway.adapter.rest;

import dev.kiln.gateway.app.ContextService;
import dev.kiln.gateway.app.Failures;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * Public API v1: build contexts. The method is blocking and takes the body as an {@link
 * InputStream}, which Quarkus REST then feeds from the connection as it is read, a chunk at a time
 * with the connection paused in between, instead of collecting the body first.
 */
@Path("/api/v1/contexts")
@Produces(MediaType.APPLICATION_JSON)
public class ContextResource {
  private final ContextService contexts;

  public ContextResource(ContextService contexts) {
    this.contexts = contexts;
  }

  /** Uploads a tar archive, plain or gzip-compressed, and answers with its digest. */
  @POST
  @Blocking
  @Consumes(MediaType.WILDCARD)
  public Response upload(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    if (length != null && length > contexts.maxSize()) {
      throw new Failures.UploadTooLarge("the context", contexts.maxSize());
    }
    ContextService.ContextUploaded uploaded = contexts.upload(body);
    return Response.status(Response.Status.CREATED).entity(uploaded).build();
  }
}
