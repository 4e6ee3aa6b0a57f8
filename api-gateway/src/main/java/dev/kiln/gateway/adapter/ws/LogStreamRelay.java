package dev.kiln.gateway.adapter.ws;

import dev.kiln.contracts.BuildIds;
import dev.kiln.gateway.adapter.LogServicePool;
import dev.kiln.gateway.adapter.rest.ApiError;
import dev.kiln.gateway.config.LogRelayConfig;
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
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Relays the live log stream of a build between a client and log-service, message by message and in
 * both directions, with the close code and reason of whichever side closes first passed to the
 * other. A side that cannot keep up pauses the other, so no queue grows without bound. Streams take
 * the log-services in turn; one that cannot be reached is passed over for the next. The gateway
 * pings its clients itself ({@link Keepalive}): pings between log-service and the gateway stay on
 * that leg.
 */
@ApplicationScoped
public class LogStreamRelay {
  private static final Logger LOG = Logger.getLogger(LogStreamRelay.class);
  private static final short INTERNAL_ERROR = 1011;
  private static final short NO_STATUS = 1005;
  private static final short ABNORMAL = 1006;
  private static final int REFUSED_BASE = 4000;

  /**
   * Each relayed stream is a connection of its own to log-service, held while the client watches;
   * the client's default cap (50 per host) would make the 51st watcher of a log-service wait until
   * another one left.
   */
  private static final int MAX_STREAMS_PER_LOG_SERVICE = 100_000;

  private final Vertx vertx;
  private final LogServicePool logServices;
  private final Duration pingInterval;
  private final WebSocketClient client;

  public LogStreamRelay(Vertx vertx, LogServicePool logServices, LogRelayConfig config) {
    this.vertx = vertx;
    this.logServices = logServices;
    this.pingInterval = config.streamPingInterval();
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setConnectTimeout(5_000)
                .setMaxConnections(MAX_STREAMS_PER_LOG_SERVICE));
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
    String path = "/api/v1/builds/" + id + "/logs/stream" + (query == null ? "" : "?" + query);
    rc.request()
        .toWebSocket()
        .onSuccess(
            downstream -> {
              // Whatever the client sends before log-service answers waits for it.
              downstream.pause();
              Keepalive.start(vertx, downstream, pingInterval);
              connect(downstream, path, logServices.candidates(), 0);
            })
        .onFailure(error -> LOG.debugf("WebSocket upgrade failed: %s", error.toString()));
  }

  /** Connects to the {@code next}th of {@code candidates}, or to the one after when it is down. */
  private void connect(ServerWebSocket downstream, String path, List<String> candidates, int next) {
    String logService = candidates.get(next);
    String target = logService.replaceFirst("^http", "ws") + path;
    client
        .connect(new WebSocketConnectOptions().setAbsoluteURI(target))
        .onSuccess(
            upstream -> {
              logServices.reached(logService);
              if (downstream.isClosed()) {
                upstream.close();
                return;
              }
              relay(upstream, downstream);
              relay(downstream, upstream);
              downstream.resume();
            })
        .onFailure(
            error -> {
              if (refused(downstream, error) || downstream.isClosed()) {
                return;
              }
              LOG.warnf("log-service stream at %s unreachable: %s", target, error.toString());
              logServices.failed(logService);
              if (next + 1 < candidates.size()) {
                connect(downstream, path, candidates, next + 1);
              } else {
                downstream.close(INTERNAL_ERROR, "log-service unavailable");
              }
            });
  }

  /**
   * log-service answering the upgrade with an HTTP error (such as 404 for a build it does not know)
   * closes the client's stream with 4000 + that status, so the client can tell it from log-service
   * being down (1011).
   */
  private static boolean refused(ServerWebSocket downstream, Throwable error) {
    if (error instanceof UpgradeRejectedException rejected
        && rejected.getStatus() >= 400
        && rejected.getStatus() < 600) {
      downstream.close(
          (short) (REFUSED_BASE + rejected.getStatus()),
          "log-service refused the stream with HTTP " + rejected.getStatus());
      return true;
    }
    return false;
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
