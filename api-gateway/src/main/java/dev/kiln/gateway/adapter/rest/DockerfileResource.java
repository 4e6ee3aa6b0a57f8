package dev.kiln.gateway.adapter.rest;

import dev.kiln.gateway.app.DockerfileChecks;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.Set;

/** Public API v1: reading Dockerfiles without building them. */
@Path("/api/v1/dockerfiles")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DockerfileResource {
  private static final int MAX_BODY_BYTES = 1024 * 1024;

  private final DockerfileChecks checks;

  public DockerfileResource(DockerfileChecks checks) {
    this.checks = checks;
  }

  /**
   * The analysis and lint findings of a Dockerfile, and what would stop Kiln from building it; a
   * Dockerfile with errors is still answered with 200, its errors listed.
   */
  @POST
  @Path("analyze")
  @Consumes(MediaType.WILDCARD)
  public AnalysisView analyze(
      InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    AnalyzeRequest request = JsonBodies.read(body, length, MAX_BODY_BYTES, AnalyzeRequest.class);
    return AnalysisView.of(
        checks.analyze(
            request.dockerfile(),
            request.buildArgs(),
            request.target(),
            request.platform(),
            Set.copyOf(request.skip())));
  }
}
