package dev.kiln.gateway.adapter.rest;

import dev.kiln.gateway.app.Failures;
import dev.kiln.gateway.app.catalog.CatalogRepository;
import dev.kiln.gateway.app.catalog.CatalogService;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Public API v1: the Dockerfile catalog. Writes are commits authored by the caller. */
@Path("/api/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class CatalogResource {
  /** Files are Dockerfiles, READMEs and small context files; a base64 body grows by a third. */
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final int DEFAULT_HISTORY = 50;
  private static final int MAX_HISTORY = 500;

  private final CatalogService catalog;
  private final RoutingContext routing;

  public CatalogResource(CatalogService catalog, RoutingContext routing) {
    this.catalog = catalog;
    this.routing = routing;
  }

  /** The catalog's head commit, which a backup pushes and every write moves. */
  @GET
  public Map<String, String> head() {
    return catalog.head().map(head -> Map.of("head", head)).orElse(Map.of());
  }

  @GET
  @Path("templates")
  public Map<String, List<CatalogService.Template>> templates() {
    return Map.of("templates", catalog.templates());
  }

  @GET
  @Path("images")
  public Map<String, List<CatalogService.ImageSummary>> images() {
    return Map.of("images", catalog.images());
  }

  /** Creates a custom image from a template. */
  @POST
  @Path("images")
  @Consumes(MediaType.WILDCARD)
  public Response create(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    CatalogRequests.CreateImage request =
        JsonBodies.read(body, length, MAX_BODY_BYTES, CatalogRequests.CreateImage.class);
    CatalogService.ImageDetails image =
        catalog.create(request.name(), request.template(), request.message(), author());
    return Response.created(URI.create("/api/v1/catalog/images/" + image.name()))
        .entity(image)
        .build();
  }

  @GET
  @Path("images/{name}")
  public CatalogService.ImageDetails image(@PathParam("name") String name) {
    return catalog.image(name);
  }

  /** Removes a custom image in one commit; its history stays in the catalog. */
  @DELETE
  @Path("images/{name}")
  public Map<String, String> delete(
      @PathParam("name") String name, @QueryParam("message") String message) {
    return Map.of("commit", catalog.delete(name, message, author()));
  }

  /** A file's bytes; {@code X-Kiln-Commit} names the commit they were read at. */
  @GET
  @Path("images/{name}/files/{path: .+}")
  @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
  public Response read(
      @PathParam("name") String name,
      @PathParam("path") String path,
      @QueryParam("commit") String commit) {
    CatalogService.FileContent file = catalog.read(name, path, commit);
    return Response.ok(file.content())
        .type(textual(path) ? "text/plain; charset=utf-8" : MediaType.APPLICATION_OCTET_STREAM)
        .header("X-Kiln-Commit", file.commit())
        .build();
  }

  /** Writes a file as a commit on top of the one it was read at. */
  @PUT
  @Path("images/{name}/files/{path: .+}")
  @Consumes(MediaType.WILDCARD)
  public Map<String, String> write(
      @PathParam("name") String name,
      @PathParam("path") String path,
      InputStream body,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    CatalogRequests.WriteFile request =
        JsonBodies.read(body, length, MAX_BODY_BYTES, CatalogRequests.WriteFile.class);
    String commit =
        catalog.write(
            name,
            path,
            request.bytes(),
            request.executable(),
            request.baseCommit(),
            request.message(),
            author());
    return Map.of("commit", commit, "path", path);
  }

  @DELETE
  @Path("images/{name}/files/{path: .+}")
  public Map<String, String> remove(
      @PathParam("name") String name,
      @PathParam("path") String path,
      @QueryParam("baseCommit") String baseCommit,
      @QueryParam("message") String message) {
    return Map.of(
        "commit",
        catalog.write(name, path, null, null, baseCommit, message, author()),
        "path",
        path);
  }

  @GET
  @Path("images/{name}/history")
  public Map<String, List<CatalogRepository.CommitInfo>> history(
      @PathParam("name") String name,
      @QueryParam("path") String path,
      @QueryParam("limit") Integer limit) {
    int size = limit == null || limit < 1 ? DEFAULT_HISTORY : Math.min(limit, MAX_HISTORY);
    return Map.of("commits", catalog.history(name, path, size));
  }

  @GET
  @Path("images/{name}/diff")
  public CatalogService.Diff diff(
      @PathParam("name") String name,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    return catalog.diff(name, from, to);
  }

  /** Pushes the whole catalog to a remote repository. */
  @POST
  @Path("backup")
  @Consumes(MediaType.WILDCARD)
  public Map<String, String> backup(
      InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    CatalogRequests.RemoteRequest request =
        JsonBodies.read(body, length, MAX_BODY_BYTES, CatalogRequests.RemoteRequest.class);
    requireAdmin("back up");
    String commit = catalog.backup(remote(request));
    return Map.of("commit", commit, "url", request.url(), "branch", request.branch());
  }

  /** Makes the catalog what a remote repository holds, and says what changed. */
  @POST
  @Path("restore")
  @Consumes(MediaType.WILDCARD)
  public CatalogRepository.Restored restore(
      InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    CatalogRequests.RemoteRequest request =
        JsonBodies.read(body, length, MAX_BODY_BYTES, CatalogRequests.RemoteRequest.class);
    requireAdmin("restore");
    return catalog.restore(remote(request));
  }

  /** Who a write is authored by: the caller's token name. */
  private String author() {
    return Callers.of(routing).name();
  }

  /** Backup and restore touch the whole catalog of every team: an admin's call. */
  private void requireAdmin(String action) {
    if (!Callers.of(routing).isAdmin()) {
      throw new Failures.Forbidden("only an admin token may " + action + " the catalog");
    }
  }

  private static CatalogRepository.Remote remote(CatalogRequests.RemoteRequest request) {
    return new CatalogRepository.Remote(
        request.url(), request.username(), request.password(), request.branch());
  }

  private static boolean textual(String path) {
    return path.equals("Dockerfile")
        || path.endsWith(".md")
        || path.endsWith(".yaml")
        || path.endsWith(".txt");
  }
}
