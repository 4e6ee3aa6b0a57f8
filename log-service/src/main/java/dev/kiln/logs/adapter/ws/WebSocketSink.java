package dev.kiln.logs.adapter.ws;

import dev.kiln.logs.app.StreamClose;
import dev.kiln.logs.app.StreamSink;
import dev.kiln.logs.domain.StreamMessage;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Sends a stream's messages over one WebSocket connection, lines batched by {@link StreamMessages}.
 * Sends are pipelined: the connection writes them in order, and {@link #flush} waits for the last
 * one only.
 */
final class WebSocketSink implements StreamSink {
  private static final Logger LOG = Logger.getLogger(WebSocketSink.class);

  private final WebSocketConnection connection;
  private final StreamMessages messages;
  private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

  WebSocketSink(WebSocketConnection connection, StreamMessageJson json) {
    this.connection = connection;
    this.messages =
        new StreamMessages(
            json, text -> lastWrite = connection.sendText(text).subscribeAsCompletionStage());
  }

  @Override
  public void send(StreamMessage message) {
    messages.add(message);
  }

  @Override
  public void flush(Duration timeout) {
    messages.flush();
    try {
      lastWrite.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new ClientGoneException("the connection failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new ClientGoneException("the client took nothing for " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientGoneException("interrupted while sending", e);
    }
  }

  @Override
  public void close(StreamClose close) {
    if (connection.isClosed()) {
      return;
    }
    connection
        .close(new CloseReason(close.code(), close.reason()))
        .subscribe()
        .with(
            done -> {},
            failure -> LOG.debugf("closing stream %s failed: %s", connection.id(), failure));
  }
}
