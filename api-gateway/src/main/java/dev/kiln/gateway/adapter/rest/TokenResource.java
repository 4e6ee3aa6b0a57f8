package dev.kiln.gateway.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.gateway.app.Failures;
import dev.kiln.gateway.app.TokenService;
import dev.kiln.gateway.domain.ApiToken;
import dev.kiln.gateway.domain.Caller;
import dev.kiln.gateway.domain.Role;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/** Public API v1: API tokens (admins only) and who the caller is. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TokenResource {
  private static final int MAX_BODY_BYTES = 16 * 1024;

  private final TokenService tokens;
  private final RoutingContext routing;

  public TokenResource(TokenService tokens, RoutingContext routing) {
    this.tokens = tokens;
    this.routing = routing;
  }

  /** The caller as the gateway sees it. */
  @GET
  @Path("whoami")
  public CallerView whoami() {
    Caller caller = Callers.of(routing);
    return new CallerView(caller.name(), caller.role().wireName());
  }

  /**
   * Makes a token for a user; body {@code {"name":"alice","role":"user"}}. The answer holds the
   * secret, the only time it is shown.
   */
  @POST
  @Path("tokens")
  @Consumes(MediaType.WILDCARD)
  public Response create(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) {
    NewToken request = JsonBodies.read(body, length, MAX_BODY_BYTES, NewToken.class);
    Role role;
    try {
      role = Role.parse(request.role() == null ? "user" : request.role());
    } catch (IllegalArgumentException e) {
      throw new Failures.RequestRejected("invalid_field", e.getMessage(), "role");
    }
    TokenService.IssuedToken issued = tokens.create(Callers.of(routing), request.name(), role);
    return Response.status(201).entity(TokenView.of(issued.token(), issued.secret())).build();
  }

  /** Every token, without secrets. */
  @GET
  @Path("tokens")
  public List<TokenView> list() {
    return tokens.list(Callers.of(routing)).stream()
        .map(token -> TokenView.of(token, null))
        .toList();
  }

  /** Revokes a token; it stops working within seconds. */
  @DELETE
  @Path("tokens/{id}")
  public TokenView revoke(@PathParam("id") String id) {
    return TokenView.of(tokens.revoke(Callers.of(routing), id), null);
  }

  /**
   * A request for a new token.
   *
   * @param name the user it stands for
   * @param role {@code user} (the default) or {@code admin}
   */
  public record NewToken(String name, String role) {}

  /**
   * The caller.
   *
   * @param name the name builds are owned by
   * @param role {@code admin} or {@code user}
   */
  public record CallerView(String name, String role) {}

  /**
   * A token as the API shows it.
   *
   * @param token the secret, only in the answer that made it
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TokenView(
      String id,
      String name,
      String role,
      Instant createdAt,
      String createdBy,
      Instant revokedAt,
      String token) {
    static TokenView of(ApiToken token, String secret) {
      return new TokenView(
          token.id(),
          token.name(),
          token.role().wireName(),
          token.createdAt(),
          token.createdBy(),
          token.revokedAt(),
          secret);
    }
  }
}
