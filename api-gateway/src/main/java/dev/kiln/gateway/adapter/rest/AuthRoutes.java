package dev.kiln.gateway.adapter.rest;

import dev.kiln.contracts.BuildIds;
import dev.kiln.gateway.app.BuildStore;
import dev.kiln.gateway.app.TokenService;
import dev.kiln.gateway.config.GatewayConfig;
import dev.kiln.gateway.domain.Caller;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guards every call under {@code /api}: it needs a valid token, sent as {@code Authorization:
 * Bearer <token>} or, for WebSockets (browsers cannot set headers there), as the query parameter
 * {@code access_token}. A build that belongs to someone else answers 404, as if it did not exist,
 * so ids cannot be probed; this holds for the relayed log routes too, which is why the check sits
 * here, in front of every route. {@code /q} (health, metrics) stays open.
 */
@ApplicationScoped
public class AuthRoutes {
  /** After Quarkus' own handlers, before every route that serves the API. */
  private static final int ORDER = 100;

  private static final Pattern BUILD_PATH = Pattern.compile("^/api/v1/builds/([^/]+)(?:/.*)?$");
  private static final String BEARER = "Bearer ";

  private final GatewayConfig.Auth config;
  private final TokenService tokens;
  private final BuildStore builds;

  public AuthRoutes(GatewayConfig config, TokenService tokens, BuildStore builds) {
    this.config = config.auth();
    this.tokens = tokens;
    this.builds = builds;
  }

  void install(@Observes Router router) {
    router.route("/api/*").order(ORDER).handler(this::authenticate);
    router.route("/internal/*").order(ORDER).handler(this::authenticateWorker);
  }

  private void authenticate(RoutingContext rc) {
    if (!config.enabled()) {
      rc.next();
      return;
    }
    String secret = secret(rc.request());
    if (secret == null) {
      unauthorized(rc, "this call needs an API token: send Authorization: Bearer <token>");
      return;
    }
    // The lookup is asynchronous. A request body cannot flow past it meanwhile: the router keeps
    // a request with a body paused until the route that reads it asks for data.
    rc.vertx()
        .executeBlocking(() -> tokens.authenticate(secret).map(caller -> allowed(rc, caller)))
        .onComplete(
            result -> {
              if (result.failed()) {
                ApiError.send(
                    rc.response(),
                    503,
                    "unavailable",
                    "the API token could not be checked: " + result.cause().getMessage(),
                    null);
              } else if (result.result().isEmpty()) {
                unauthorized(rc, "the API token is not valid: it is unknown or was revoked");
              } else if (result.result().get() == Access.HIDDEN) {
                String id = buildId(rc).orElse("");
                ApiError.send(
                    rc.response(), 404, "not_found", "no build with id '" + id + "'", null);
              } else {
                rc.next();
              }
            });
  }

  /** Records the caller, and checks a build named in the path belongs to it. Blocking. */
  private Access allowed(RoutingContext rc, Caller caller) {
    rc.put(Callers.KEY, caller);
    Optional<String> id = buildId(rc);
    if (id.isEmpty() || caller.isAdmin()) {
      return Access.GRANTED;
    }
    return builds.find(id.get()).filter(build -> caller.mayAccess(build.owner())).isPresent()
        ? Access.GRANTED
        : Access.HIDDEN;
  }

  private static Optional<String> buildId(RoutingContext rc) {
    Matcher matcher = BUILD_PATH.matcher(rc.normalizedPath());
    return matcher.matches() && BuildIds.isValid(matcher.group(1))
        ? Optional.of(matcher.group(1))
        : Optional.empty();
  }

  private void authenticateWorker(RoutingContext rc) {
    Optional<String> expected = config.internalToken();
    if (expected.isEmpty()) {
      rc.next();
      return;
    }
    String secret = secret(rc.request());
    if (secret != null
        && MessageDigest.isEqual(
            secret.getBytes(StandardCharsets.UTF_8),
            expected.get().getBytes(StandardCharsets.UTF_8))) {
      rc.next();
    } else {
      unauthorized(rc, "the internal API needs the workers' token");
    }
  }

  private static String secret(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return header.substring(BEARER.length()).trim();
    }
    String query = request.getParam("access_token");
    return query == null || query.isBlank() ? null : query;
  }

  private static void unauthorized(RoutingContext rc, String message) {
    rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"kiln\"");
    ApiError.send(rc.response(), 401, "unauthorized", message, null);
  }

  private enum Access {
    GRANTED,
    HIDDEN
  }
}
