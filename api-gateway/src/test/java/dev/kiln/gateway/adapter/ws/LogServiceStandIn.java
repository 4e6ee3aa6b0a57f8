package dev.kiln.gateway.adapter.ws;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for log-service in the relay tests: a small Vert.x server with the same paths. It
 * serves {@value #LINES} numbered log lines, echoes what a stream client sends, closes a stream
 * with 4000 when asked, refuses the stream of {@link #UNKNOWN_BUILD}, and remembers how the last
 * client closed. The gateway is given a second log-service before it that never answers, so that
 * every relay also shows it passes over an instance that is down.
 */
public class LogServiceStandIn implements QuarkusTestResourceLifecycleManager {
  static final int LINES = 20_000;

  /** The one build this log-service does not know. */
  static final String UNKNOWN_BUILD = "00000000-0000-7000-8000-000000000404";

  private static Vertx vertx;
  private static HttpServer server;
  private static int port;
  static volatile String lastClose;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    port = freePort();
    startServer();
    return Map.of(
        "kiln.gateway.log-service-urls",
        "http://localhost:" + freePort() + ",http://localhost:" + port);
  }

  private static int freePort() {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    stopServer();
    vertx.close();
  }

  /** Makes log-service unreachable, as when it is down. */
  static void stopServer() {
    await(server.close().toCompletionStage().toCompletableFuture());
  }

  static void startServer() {
    Router router = Router.router(vertx);
    router.get("/api/v1/builds/:id/logs").handler(LogServiceStandIn::logs);
    router.get("/api/v1/builds/:id/steps").handler(LogServiceStandIn::steps);
    router
        .get("/api/v1/builds/:id/logs/stream")
        .handler(
            rc -> {
              if (rc.pathParam("id").equals(UNKNOWN_BUILD)) {
                rc.response().setStatusCode(404).end();
              } else {
                rc.request().toWebSocket().onSuccess(LogServiceStandIn::stream);
              }
            });
    server =
        await(
            vertx
                .createHttpServer()
                .requestHandler(router)
                .listen(port)
                .toCompletionStage()
                .toCompletableFuture());
  }

  private static void logs(RoutingContext rc) {
    if ("text/plain".equals(rc.request().getHeader("Accept"))) {
      rc.response().setChunked(true).putHeader("Content-Type", "text/plain; charset=utf-8");
      for (int seq = 1; seq <= LINES; seq++) {
        rc.response().write("line " + seq + "\n");
      }
      rc.response().end();
      return;
    }
    long after = Long.parseLong(rc.request().getParam("after", "0"));
    JsonArray lines = new JsonArray();
    for (long seq = after + 1; seq <= after + 2; seq++) {
      lines.add(new JsonObject().put("seq", seq).put("text", "line " + seq));
    }
    rc.response()
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("lines", lines)
                .put("next", after + 2)
                .put("complete", false)
                .encode());
  }

  private static void steps(RoutingContext rc) {
    rc.response()
        .setStatusCode(404)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", "not_found").put("message", "no steps").encode());
  }

  private static void stream(ServerWebSocket socket) {
    String after = socket.query() == null ? "after=0" : socket.query();
    long from = Long.parseLong(after.substring(after.indexOf('=') + 1));
    for (long seq = from + 1; seq <= from + 3; seq++) {
      socket.writeTextMessage(new JsonObject().put("type", "log").put("seq", seq).encode());
    }
    socket.textMessageHandler(
        text -> {
          if (text.equals("close please")) {
            socket.close((short) 4000, "asked to close");
          } else {
            socket.writeTextMessage(
                new JsonObject().put("type", "echo").put("text", text).encode());
          }
        });
    socket.closeHandler(
        ignored -> lastClose = socket.closeStatusCode() + " " + socket.closeReason());
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
