package dev.kiln.gateway.adapter.rest;

import dev.kiln.contracts.Digest;
import dev.kiln.gateway.app.ContextService;
import dev.kiln.gateway.app.ContextStore;
import dev.kiln.gateway.app.Failures;
import dev.kiln.gateway.app.ImageArchiveService;
import dev.kiln.gateway.app.ImageArchiveStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** Calls the workers make: fetching a context, handing in the image of a build. */
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class InternalResource {
  private final ContextService contexts;
  private final ImageArchiveService images;

  public InternalResource(ContextService contexts, ImageArchiveService images) {
    this.contexts = contexts;
    this.images = images;
  }

  /** The context's bytes exactly as uploaded, gzip-compressed or not. */
  @GET
  @Path("contexts/{digest}")
  @Produces({"application/x-tar", "application/gzip", MediaType.APPLICATION_JSON})
  public Response context(@PathParam("digest") String digest) {
    ContextStore.StoredContext context = contexts.find(parse(digest));
    return Response.ok(context.file())
        .type(context.gzip() ? "application/gzip" : "application/x-tar")
        .tag(context.digest().toString())
        .build();
  }

  /** Keeps the OCI archive of a build, streamed to disk as it arrives. */
  @PUT
  @Path("builds/{id}/image")
  @Consumes(MediaType.WILDCARD)
  public Response image(
      @PathParam("id") String id,
      InputStream body,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    if (length != null && length > images.maxSize()) {
      throw new Failures.UploadTooLarge("the image archive", images.maxSize());
    }
    ImageArchiveStore.StoredArchive archive = images.upload(id, body);
    return Response.status(Response.Status.CREATED)
        .entity(new ArchiveView(archive.buildId(), archive.digest(), archive.size()))
        .build();
  }

  private static Digest parse(String digest) {
    try {
      return Digest.parse(digest);
    } catch (IllegalArgumentException e) {
      throw new Failures.NothingStored("no context " + digest + " was uploaded");
    }
  }

  /**
   * An image archive as kept.
   *
   * @param digest the sha256 of the archive file
   */
  public record ArchiveView(String buildId, Digest digest, long size) {}
}
