package dev.kiln.gateway.adapter.rest;

import dev.kiln.contracts.BuildIds;
import dev.kiln.gateway.adapter.LogServicePool;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Relays log history and steps from log-service as they are: status, type and body. The body is
 * piped, not collected, so a whole log as {@code text/plain} flows through at the pace the client
 * reads it. A log-service that cannot be reached is passed over for the next one.
 */
@ApplicationScoped
public class LogRelayRoutes {
  private static final Logger LOG = Logger.getLogger(LogRelayRoutes.class);
  private static final List<CharSequence> PASSED_BACK =
      List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH, HttpHeaders.CACHE_CONTROL);
  private static final long IDLE_TIMEOUT_MS = 60_000;
  private static final int MAX_CONNECTIONS = 256;

  private final LogServicePool logServices;
  private final HttpClient client;

  public LogRelayRoutes(Vertx vertx, LogServicePool logServices) {
    this.logServices = logServices;
    // A whole log as text holds its connection while the client reads; the default pool of 5
    // connections per log-service would make a sixth reader wait for one of them to finish.
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout(5_000).setMaxPoolSize(MAX_CONNECTIONS));
  }

  void install(@Observes Router router) {
    for (String what : List.of("logs", "steps")) {
      router
          .get("/api/v1/builds/:id/" + what)
          .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
          .handler(rc -> relay(rc, what));
    }
  }

  private void relay(RoutingContext rc, String what) {
    String id = rc.pathParam("id");
    if (!BuildIds.isValid(id)) {
      ApiError.send(rc.response(), 404, "not_found", "no build with id '" + id + "'", null);
      return;
    }
    String query = withoutToken(rc.request().query());
    String path = "/api/v1/builds/" + id + "/" + what + (query.isEmpty() ? "" : "?" + query);
    relay(rc, path, logServices.candidates(), 0);
  }

  /** The query without {@code access_token}: the caller's secret stays with the gateway. */
  static String withoutToken(String query) {
    if (query == null) {
      return "";
    }
    return Arrays.stream(query.split("&"))
        .filter(part -> !part.equals("access_token") && !part.startsWith("access_token="))
        .collect(Collectors.joining("&"));
  }

  /** Tries {@code candidates} from the {@code next}th on until one answers. */
  private void relay(RoutingContext rc, String path, List<String> candidates, int next) {
    String logService = candidates.get(next);
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(logService + path)
            .setIdleTimeout(IDLE_TIMEOUT_MS);
    String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
    if (accept != null) {
      options.putHeader(HttpHeaders.ACCEPT, accept);
    }
    client
        .request(options)
        .compose(request -> request.send())
        .onSuccess(
            upstream -> {
              logServices.reached(logService);
              pipe(upstream, rc.response());
            })
        .onFailure(
            error -> {
              LOG.warnf("log-service at %s is unreachable: %s", logService, error.toString());
              logServices.failed(logService);
              if (rc.response().headWritten() || rc.response().closed()) {
                return;
              }
              if (next + 1 < candidates.size()) {
                relay(rc, path, candidates, next + 1);
                return;
              }
              ApiError.send(
                  rc.response(),
                  503,
                  "unavailable",
                  "log-service is unreachable (" + error.getMessage() + "); try again later",
                  null);
            });
  }

  private static void pipe(HttpClientResponse upstream, HttpServerResponse response) {
    response.setStatusCode(upstream.statusCode());
    for (CharSequence header : PASSED_BACK) {
      String value = upstream.getHeader(header);
      if (value != null) {
        response.putHeader(header, value);
      }
    }
    if (upstream.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
      response.setChunked(true);
    }
    // A client that leaves mid-log must not keep log-service sending to nobody.
    response.closeHandler(ignored -> upstream.request().reset());
    upstream.pipeTo(response);
  }
}
