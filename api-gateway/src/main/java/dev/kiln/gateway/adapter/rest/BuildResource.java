package dev.kiln.gateway.adapter.rest;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.gateway.app.BuildService;
import dev.kiln.gateway.app.Failures;
import dev.kiln.gateway.app.ImageArchiveService;
import dev.kiln.gateway.app.ImageArchiveStore;
import dev.kiln.gateway.domain.BuildRecord;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;

/** Public API v1: builds. */
@Path("/api/v1/builds")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class BuildResource {
  /** A build spec is small; anything bigger is a mistake or an attack. */
  static final int MAX_SPEC_BYTES = 1024 * 1024;

  private static final int MAX_CANCEL_BYTES = 64 * 1024;

  private final BuildService builds;
  private final ImageArchiveService images;
  private final RoutingContext routing;

  public BuildResource(BuildService builds, ImageArchiveService images, RoutingContext routing) {
    this.builds = builds;
    this.images = images;
    this.routing = routing;
  }

  /** Queues a build; the answer is the build as stored, with status QUEUED. */
  @POST
  @Consumes(MediaType.WILDCARD)
  public Response submit(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    BuildSpec spec = JsonBodies.read(body, length, MAX_SPEC_BYTES, BuildSpec.class);
    return accepted(builds.submit(Callers.of(routing), spec));
  }

  /** Builds newest first, optionally only those in one state or of one owner. */
  @GET
  public BuildListView list(
      @QueryParam("status") String status,
      @QueryParam("owner") String owner,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return BuildListView.of(
        builds.list(
            Callers.of(routing),
            state(status),
            owner == null || owner.isEmpty() ? null : owner,
            number(limit),
            cursor == null || cursor.isEmpty() ? null : cursor));
  }

  @GET
  @Path("{id}")
  public BuildView get(@PathParam("id") String id) {
    return BuildView.of(builds.get(Callers.of(routing), id));
  }

  /** Asks for a build to be cancelled; the body {@code {"reason":"…"}} is optional. */
  @POST
  @Path("{id}/cancel")
  @Consumes(MediaType.WILDCARD)
  public Response cancel(
      @PathParam("id") String id,
      InputStream body,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    String reason =
        JsonBodies.readOptional(body, length, MAX_CANCEL_BYTES, CancelRequest.class)
            .map(CancelRequest::reason)
            .orElse(null);
    return Response.accepted(BuildView.of(builds.cancel(Callers.of(routing), id, reason))).build();
  }

  /** Submits the same spec again as a new build. */
  @POST
  @Path("{id}/retry")
  @Consumes(MediaType.WILDCARD)
  public Response retry(@PathParam("id") String id) {
    return accepted(builds.retry(Callers.of(routing), id));
  }

  /** The OCI archive of a build that kept its image instead of pushing it. */
  @GET
  @Path("{id}/image")
  @Produces({"application/x-tar", MediaType.APPLICATION_JSON})
  public Response image(@PathParam("id") String id) {
    ImageArchiveStore.StoredArchive archive = images.find(Callers.of(routing), id);
    return Response.ok(archive.file())
        .type("application/x-tar")
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + ".oci.tar\"")
        .tag(archive.digest().toString())
        .build();
  }

  private static Response accepted(BuildRecord build) {
    return Response.accepted(BuildView.of(build))
        .location(URI.create("/api/v1/builds/" + build.id()))
        .build();
  }

  private static BuildState state(String status) {
    if (status == null || status.isEmpty()) {
      return null;
    }
    try {
      return BuildState.valueOf(status.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Failures.RequestRejected(
          "invalid_field",
          "status '" + status + "' is not one of " + Arrays.toString(BuildState.values()),
          "status");
    }
  }

  private static Integer number(String limit) {
    if (limit == null || limit.isEmpty()) {
      return null;
    }
    try {
      return Integer.valueOf(limit);
    } catch (NumberFormatException e) {
      throw new Failures.RequestRejected(
          "invalid_field", "limit '" + limit + "' is not a whole number", "limit");
    }
  }
}
