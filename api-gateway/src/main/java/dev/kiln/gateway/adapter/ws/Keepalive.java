package dev.kiln.gateway.adapter.ws;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pings a client's WebSocket every interval, so that proxies keep an idle stream open, and closes
 * it when the client answered none of the last two pings: a client that vanished without a close
 * frame (a laptop that went to sleep) does not hold its stream forever.
 */
final class Keepalive {
  private static final short GOING_AWAY = 1001;

  private Keepalive() {}

  static void start(Vertx vertx, ServerWebSocket socket, Duration interval) {
    long intervalNanos = interval.toNanos();
    AtomicLong lastAnswer = new AtomicLong(System.nanoTime());
    socket.pongHandler(pong -> lastAnswer.set(System.nanoTime()));
    vertx.setPeriodic(
        interval.toMillis(),
        timer -> {
          if (socket.isClosed()) {
            vertx.cancelTimer(timer);
          } else if (System.nanoTime() - lastAnswer.get() > 2 * intervalNanos) {
            vertx.cancelTimer(timer);
            socket.close(GOING_AWAY, "no answer to pings");
          } else {
            socket.writePing(Buffer.buffer());
          }
        });
  }
}
