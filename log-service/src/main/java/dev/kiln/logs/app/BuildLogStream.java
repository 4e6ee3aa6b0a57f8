package dev.kiln.logs.app;

import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.LogEvent;
import dev.kiln.logs.domain.LogStreamCursor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One client's live stream of one build: subscribes to live events first, then replays the stored
 * log, then sends live events as they come, reading from the database whatever the live events
 * skip. Runs in a thread of its own until the build ends, the client leaves, or the client falls
 * too far behind.
 */
public final class BuildLogStream implements Runnable {
  private static final Logger LOG = Logger.getLogger(BuildLogStream.class);
  private static final int MAX_DRAIN = 1024;

  private final String buildId;
  private final LogReader reader;
  private final LiveFeed feed;
  private final StreamSettings settings;
  private final StreamSink sink;
  private final LogStreamCursor cursor;
  private volatile boolean stopped;
  private volatile int deliveredAttempt;
  private volatile long deliveredSeq;

  /**
   * @param after the client has every line up to this seq
   * @param afterAttempt the attempt {@code after} belongs to, {@code null} for the current one
   */
  public BuildLogStream(
      String buildId,
      long after,
      Integer afterAttempt,
      LogReader reader,
      LiveFeed feed,
      StreamSettings settings,
      StreamSink sink) {
    this.buildId = buildId;
    this.reader = reader;
    this.feed = feed;
    this.settings = settings;
    this.sink = sink;
    this.deliveredAttempt = afterAttempt == null ? 0 : afterAttempt;
    this.deliveredSeq = after;
    this.cursor =
        new LogStreamCursor(
            after,
            afterAttempt,
            settings.finalSeqGrace(),
            settings.endSettle(),
            settings.buffer(),
            sink::send);
  }

  /** Asks the stream to stop soon, as when its client left. */
  public void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    try (LiveSubscription live = feed.subscribe(buildId, settings.buffer(), this::tooSlow)) {
      StreamClose close = stream(live);
      if (close != null) {
        sink.close(close);
      }
    } catch (StreamSink.ClientGoneException e) {
      LOG.debugf("stream of build %s: client gone: %s", buildId, e.getMessage());
      sink.close(StreamClose.tooSlow(deliveredAttempt, deliveredSeq));
    } catch (LogStoreException e) {
      LOG.warnf("stream of build %s: %s", buildId, e.getMessage());
      sink.close(StreamClose.unavailable());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.errorf(e, "stream of build %s failed", buildId);
      sink.close(StreamClose.unavailable());
    }
  }

  /** Returns how to close the stream, or {@code null} when it was closed already. */
  private StreamClose stream(LiveSubscription live) throws InterruptedException {
    Instant opened = Instant.now();
    reader
        .status(buildId)
        .ifPresentOrElse(
            status -> cursor.status(status, Instant.now()),
            () -> reader.latestLoggedAttempt(buildId).ifPresent(cursor::follow));
    readSteps();
    flush();
    Instant nextRecheck = Instant.now().plus(settings.recheckInterval());
    boolean endingSeen = false;
    while (!cursor.ended()) {
      if (stopped || live.overflowed()) {
        return null;
      }
      Instant now = Instant.now();
      boolean stalled = false;
      if (!now.isBefore(nextRecheck)) {
        recheck();
        nextRecheck = now.plus(settings.recheckInterval());
      } else if (cursor.wantsStoredLines() || cursor.missing().isPresent()) {
        stalled = readLines() == 0 && cursor.missing().isPresent();
      }
      if (cursor.ending() && !endingSeen) {
        // Step events travel on their own topic and may lag behind the last line.
        endingSeen = true;
        readSteps();
      }
      flush();
      if (!cursor.knowsBuild() && !now.isBefore(opened.plus(settings.unknownBuildTimeout()))) {
        return StreamClose.unknownBuild();
      }
      Duration wait;
      if (stalled) {
        wait = settings.gapRetry();
      } else if (cursor.wantsStoredLines() || cursor.missing().isPresent()) {
        wait = Duration.ZERO;
      } else {
        wait = Duration.between(Instant.now(), nextRecheck);
      }
      if (cursor.ending()) {
        wait = min(wait, Duration.between(Instant.now(), cursor.endsAt()));
      }
      drain(live, wait);
      Instant later = Instant.now();
      if (cursor.ending() && !later.isBefore(cursor.endsAt())) {
        readSteps();
      }
      cursor.tick(later);
      flush();
    }
    return StreamClose.ended();
  }

  /** Reads again what live events may have missed: those sent before the subscription began. */
  private void recheck() {
    reader.status(buildId).ifPresent(status -> cursor.status(status, Instant.now()));
    if (cursor.attempt() == 0) {
      reader.latestLoggedAttempt(buildId).ifPresent(cursor::follow);
    }
    readSteps();
    readLines();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void readSteps() {
    if (cursor.attempt() > 0) {
      cursor.steps(reader.steps(buildId, cursor.attempt()));
    }
  }

  private int readLines() {
    if (cursor.attempt() == 0) {
      return 0;
    }
    List<LogEntry> page =
        reader.lines(buildId, cursor.attempt(), cursor.lastSent(), settings.pageSize());
    Instant now = Instant.now();
    cursor.replayed(page, now);
    if (page.size() < settings.pageSize()) {
      cursor.caughtUp(now);
    }
    return page.size();
  }

  private void drain(LiveSubscription live, Duration wait) throws InterruptedException {
    LogEvent event = live.poll(wait);
    int taken = 0;
    while (event != null) {
      cursor.live(event, Instant.now());
      // Hand over what is ready now and then, so a long run of events is not held back.
      if (++taken % 256 == 0) {
        flush();
      }
      // Return to the loop now and then, so lines live events skip over are read meanwhile.
      event = taken < MAX_DRAIN ? live.poll(Duration.ZERO) : null;
    }
    LogEvent.LinesSkipped skipped = live.takeSkipped();
    if (skipped != null) {
      cursor.live(skipped, Instant.now());
    }
  }

  private void flush() {
    sink.flush(settings.sendTimeout());
    deliveredAttempt = cursor.attempt();
    deliveredSeq = cursor.lastSent();
  }

  private void tooSlow() {
    stopped = true;
    sink.close(StreamClose.tooSlow(deliveredAttempt, deliveredSeq));
  }
}
