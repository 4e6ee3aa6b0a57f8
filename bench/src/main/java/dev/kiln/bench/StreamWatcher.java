package dev.kiln.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of a build's live log stream that records, for every log line, the time from the line's
 * timestamp ({@code ts}, when the worker printed it) to the moment the message arrived here, and
 * checks that lines come in seq order with no gap and no repeat. The same clock made both times:
 * the benchmark and the farm run on one machine. All watchers share one Vert.x event loop, so that
 * a hundred of them cost the machine little beside the farm they measure.
 */
final class StreamWatcher {
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final String LINE = "{\"seq\":";
  private static final String TS = "\"ts\":\"";
  private static final Vertx VERTX = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private static final HttpClient CLIENT =
      VERTX.createHttpClient(new HttpClientOptions().setMaxWebSockets(10_000));

  private final LatencyHistogram latencies;
  private final long measureFromSeq;
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  private final AtomicLong lastSeq = new AtomicLong();
  private volatile String disorder;

  /**
   * @param measureFromSeq lines before this seq are checked but not measured (the warm-up)
   */
  private StreamWatcher(LatencyHistogram latencies, long measureFromSeq) {
    this.latencies = latencies;
    this.measureFromSeq = measureFromSeq;
  }

  /**
   * @param token the API token the gateway asks for (log-service reached directly ignores it)
   */
  static StreamWatcher open(
      URI stream, String token, LatencyHistogram latencies, long measureFromSeq) {
    StreamWatcher watcher = new StreamWatcher(latencies, measureFromSeq);
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(stream.getHost())
            .setPort(stream.getPort())
            .setURI(stream.getRawPath() + "?" + stream.getRawQuery())
            .addHeader("Authorization", "Bearer " + token);
    CLIENT
        .webSocket(options)
        .onSuccess(
            socket -> {
              socket.textMessageHandler(text -> watcher.received(text, microsOfDay()));
              socket.closeHandler(
                  closed -> {
                    watcher.opened.complete(null);
                    watcher.ended.complete(socket.closeStatusCode() + " " + socket.closeReason());
                  });
              socket.exceptionHandler(
                  error -> {
                    watcher.opened.complete(null);
                    watcher.ended.completeExceptionally(error);
                  });
            })
        .toCompletionStage()
        .toCompletableFuture()
        .join();
    return watcher;
  }

  /** Stops the event loop all watchers share; its threads would keep the JVM running. */
  static void shutdown() {
    VERTX.close().toCompletionStage().toCompletableFuture().join();
  }

  /** Completes with the close code and reason once the server closed the stream. */
  CompletableFuture<String> ended() {
    return ended;
  }

  /** Completes once the first message (the build's status) arrived. */
  CompletableFuture<Void> opened() {
    return opened;
  }

  long lastSeq() {
    return lastSeq.get();
  }

  /** What was wrong with the order of the lines, or {@code null}. */
  String disorder() {
    return disorder;
  }

  /**
   * Reads each line of a {@code log} message. A line object starts with {@code {"seq":}, which no
   * text holds as is: a quote inside a JSON string is escaped.
   */
  private void received(String text, long arrivedMicros) {
    opened.complete(null);
    if (!text.startsWith("{\"type\":\"log\"")) {
      return;
    }
    for (int at = text.indexOf(LINE); at >= 0; at = text.indexOf(LINE, at + LINE.length())) {
      long seq = number(text, at + LINE.length());
      if (seq != lastSeq.get() + 1 && disorder == null) {
        disorder = "line " + seq + " came after line " + lastSeq.get();
      }
      lastSeq.set(seq);
      if (seq >= measureFromSeq) {
        long printed = timeOfDayMicros(text, text.indexOf(TS, at) + TS.length());
        latencies.record(Math.floorMod(arrivedMicros - printed, MICROS_PER_DAY));
      }
    }
  }

  private static long number(String text, int at) {
    long value = 0;
    while (at < text.length() && Character.isDigit(text.charAt(at))) {
      value = value * 10 + (text.charAt(at++) - '0');
    }
    return value;
  }

  /** The time of day of {@code yyyy-mm-ddThh:mm:ss[.fraction]Z} at {@code at}, in microseconds. */
  private static long timeOfDayMicros(String text, int start) {
    int t = start + 11;
    long micros = ((two(text, t) * 60L + two(text, t + 3)) * 60L + two(text, t + 6)) * 1_000_000L;
    int at = t + 8;
    if (text.charAt(at) == '.') {
      long scale = 100_000;
      for (at++; Character.isDigit(text.charAt(at)); at++) {
        micros += (text.charAt(at) - '0') * scale;
        scale /= 10;
      }
    }
    return micros;
  }

  private static int two(String text, int at) {
    return (text.charAt(at) - '0') * 10 + (text.charAt(at + 1) - '0');
  }

  private static long microsOfDay() {
    java.time.Instant now = java.time.Instant.now();
    return LocalTime.ofInstant(now, ZoneOffset.UTC).toNanoOfDay() / 1_000;
  }
}
