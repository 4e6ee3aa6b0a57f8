package dev.kiln.gateway.adapter.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.gateway.adapter.rest.ApiError;
import dev.kiln.gateway.adapter.rest.Callers;
import dev.kiln.gateway.app.BuildStatusFeed;
import dev.kiln.gateway.config.LogRelayConfig;
import dev.kiln.gateway.domain.Caller;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * WebSocket {@code /api/v1/builds/stream}: every build status change, as it happens, for a live
 * build list. Each change is one JSON text message:
 *
 * <pre>{"type":"status","buildId":"…","from":"QUEUED","to":"ASSIGNED","attempt":1,
 * "workerId":"build-worker-1","at":"2026-01-01T00:00:00.123Z"}</pre>
 *
 * A client hears only of the builds it may see: its own, or every build for an admin. A client that
 * lets {@code kiln.gateway.status-feed-buffer} bytes pile up is closed with 1013; it lists the
 * builds again and reconnects.
 */
@ApplicationScoped
public class BuildStatusFeedSocket {
  private static final Logger LOG = Logger.getLogger(BuildStatusFeedSocket.class);
  private static final short TRY_AGAIN_LATER = 1013;

  private final Vertx vertx;
  private final BuildStatusFeed feed;
  private final ObjectMapper mapper;
  private final Duration pingInterval;
  private final int buffer;

  public BuildStatusFeedSocket(
      Vertx vertx, BuildStatusFeed feed, ObjectMapper mapper, LogRelayConfig config) {
    this.vertx = vertx;
    this.feed = feed;
    this.mapper = mapper;
    this.pingInterval = config.streamPingInterval();
    this.buffer = (int) Math.min(Integer.MAX_VALUE, config.statusFeedBuffer().asLongValue());
  }

  void install(@Observes Router router) {
    router
        .get("/api/v1/builds/stream")
        .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
        .handler(this::open);
  }

  private void open(RoutingContext rc) {
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.UPGRADE))) {
      rc.response().putHeader(HttpHeaders.UPGRADE, "websocket");
      ApiError.send(
          rc.response(), 426, "upgrade_required", "this is a WebSocket; connect with one", null);
      return;
    }
    rc.request()
        .toWebSocket()
        .onSuccess(socket -> follow(socket, Callers.of(rc)))
        .onFailure(error -> LOG.debugf("WebSocket upgrade failed: %s", error.toString()));
  }

  private void follow(ServerWebSocket socket, Caller caller) {
    socket.setWriteQueueMaxSize(buffer);
    Keepalive.start(vertx, socket, pingInterval);
    BuildStatusFeed.Listener listener =
        new BuildStatusFeed.Listener() {
          @Override
          public void statusChanged(BuildStatusFeed.StatusChange change) {
            if (!caller.mayAccess(change.owner())) {
              return;
            }
            if (socket.isClosed()) {
              feed.unsubscribe(this);
            } else if (socket.writeQueueFull()) {
              feed.unsubscribe(this);
              socket.close(TRY_AGAIN_LATER, "client too slow; list the builds again");
            } else {
              socket.writeTextMessage(encode(change));
            }
          }
        };
    socket.closeHandler(ignored -> feed.unsubscribe(listener));
    // The client only listens; what it sends is ignored.
    socket.handler(ignored -> {});
    feed.subscribe(listener);
  }

  private String encode(BuildStatusFeed.StatusChange change) {
    BuildStatusChanged status = change.change();
    ObjectNode node =
        mapper.createObjectNode().put("type", "status").put("buildId", change.buildId());
    if (status.from() != null) {
      node.put("from", status.from().name());
    }
    node.put("to", status.to().name()).put("attempt", status.attempt());
    if (status.workerId() != null) {
      node.put("workerId", status.workerId());
    }
    if (status.reason() != null) {
      node.put("reason", status.reason());
    }
    node.put("at", change.at().toString());
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a status message", e);
    }
  }
}
