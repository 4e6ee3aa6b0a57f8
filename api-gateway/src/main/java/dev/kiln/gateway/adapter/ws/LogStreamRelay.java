package dev.kiln.gateway.adapter.ws;

import dev.kiln.contracts.BuildIds;
import dev.kiln.gateway.adapter.rest.ApiError;
import dev.kiln.gateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Relays the live log stream of a build between a client and log-service, message by message and in
 * both directions, with the close code and reason of whichever side closes first passed to the
 * other. A side that cannot keep up pauses the other, so no queue grows without bound.
 */
@ApplicationScoped
public class LogStreamRelay {
  private static final Logger LOG = Logger.getLogger(LogStreamRelay.class);
  private static final short INTERNAL_ERROR = 1011;
  private static final short NO_STATUS = 1005;
  private static final short ABNORMAL = 1006;
  private static final int REFUSED_BASE = 4000;

  private final String logService;
  private final WebSocketClient client;

  public LogStreamRelay(Vertx vertx, GatewayConfig config) {
    this.logService =
        config.logServiceUrl().toString().replaceAll("/+$", "").replaceFirst("^http", "ws");
    this.client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(5_000));
  }

  void install(@Observes Router router) {
    router
        .get("/api/v1/builds/:id/logs/stream")
        .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
        .handler(this::open);
  }

  private void open(RoutingContext rc) {
    String id = rc.pathParam("id");
    if (!BuildIds.isValid(id)) {
      ApiError.send(rc.response(), 404, "not_found", "no build with id '" + id + "'", null);
      return;
    }
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.UPGRADE))) {
      rc.response().putHeader(HttpHeaders.UPGRADE, "websocket");
      ApiError.send(
          rc.response(), 426, "upgrade_required", "this is a WebSocket; connect with one", null);
      return;
    }
    String query = rc.request().query();
    String target =
        logService + "/api/v1/builds/" + id + "/logs/stream" + (query == null ? "" : "?" + query);
    rc.request()
        .toWebSocket()
        .onSuccess(downstream -> connect(downstream, target))
        .onFailure(error -> LOG.debugf("WebSocket upgrade failed: %s", error.toString()));
  }

  private void connect(ServerWebSocket downstream, String target) {
    // Whatever the client sends before log-service answers waits for it.
    downstream.pause();
    client
        .connect(new WebSocketConnectOptions().setAbsoluteURI(target))
        .onSuccess(
            upstream -> {
              if (downstream.isClosed()) {
                upstream.close();
                return;
              }
              relay(upstream, downstream);
              relay(downstream, upstream);
              downstream.resume();
            })
        .onFailure(error -> refuse(downstream, target, error));
  }

  /**
   * log-service answering the upgrade with an HTTP error (such as 404 for a build it does not know)
   * closes the client's stream with 4000 + that status, so the client can tell it from log-service
   * being down (1011).
   */
  private static void refuse(ServerWebSocket downstream, String target, Throwable error) {
    if (error instanceof UpgradeRejectedException rejected
        && rejected.getStatus() >= 400
        && rejected.getStatus() < 600) {
      downstream.close(
          (short) (REFUSED_BASE + rejected.getStatus()),
          "log-service refused the stream with HTTP " + rejected.getStatus());
      return;
    }
    LOG.warnf("log-service stream at %s unreachable: %s", target, error.toString());
    downstream.close(INTERNAL_ERROR, "log-service unavailable");
  }

  private static void relay(WebSocketBase from, WebSocketBase to) {
    from.textMessageHandler(
        text -> {
          to.writeTextMessage(text);
          holdWhileFull(from, to);
        });
    from.binaryMessageHandler(
        data -> {
          to.writeBinaryMessage(data);
          holdWhileFull(from, to);
        });
    from.closeHandler(ignored -> passClose(from, to));
    from.exceptionHandler(error -> LOG.debugf("WebSocket relay: %s", error.toString()));
  }

  private static void holdWhileFull(WebSocketBase from, WebSocketBase to) {
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(ignored -> from.resume());
    }
  }

  private static void passClose(WebSocketBase closed, WebSocketBase other) {
    if (other.isClosed()) {
      return;
    }
    Short code = closed.closeStatusCode();
    if (code == null || code == ABNORMAL) {
      other.close(INTERNAL_ERROR, "the other side of the relay went away");
    } else if (code == NO_STATUS) {
      other.close();
    } else {
      other.close(code, closed.closeReason());
    }
  }
}
