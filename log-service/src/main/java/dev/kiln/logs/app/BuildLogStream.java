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
 * log, then sends live events as they come. Runs in a thread of its own until the build ends, the
 * client leaves, or the client falls too far behind.
 *
 * <p>The database is read only when there is a reason to: the replay; once more when the store has
 * caught up with the moment the stream subscribed ({@link StoreProgress}), for whatever reached the
 * service live before that and was stored only after the replay; and when a live event announces
 * lines that were not sent, once right away and again once the store has passed them. A stream that
 * follows a build live reads nothing, however long it runs.
 */
public final class BuildLogStream implements Runnable {
  private static final Logger LOG = Logger.getLogger(BuildLogStream.class);
  private static final int MAX_DRAIN = 1024;
  // How often an idle stream looks at the clock, for endings that come with time; reads nothing.
  private static final Duration TICK = Duration.ofSeconds(1);

  private final String buildId;
  private final LogReader reader;
  private final LiveFeed feed;
  private final StoreProgress progress;
  private final StreamSettings settings;
  private final StreamSink sink;
  private final LogStreamCursor cursor;
  private volatile boolean stopped;
  private volatile int deliveredAttempt;
  private volatile long deliveredSeq;

  /** Lines known to exist that the database did not hold when last read. */
  private record Gap(StoreProgress.Mark mark, Instant readAgainAt) {}

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
      StoreProgress progress,
      StreamSettings settings,
      StreamSink sink) {
    this.buildId = buildId;
    this.reader = reader;
    this.feed = feed;
    this.progress = progress;
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
      Runnable nudge = live::nudge;
      progress.wake(nudge);
      try {
        StreamClose close = stream(live, nudge);
        if (close != null) {
          sink.close(close);
        }
      } finally {
        progress.stopWaking(nudge);
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
  private StreamClose stream(LiveSubscription live, Runnable nudge) throws InterruptedException {
    Instant opened = Instant.now();
    // Anything missed live was published before this mark; the stream wakes when the store moves.
    StoreProgress.Mark subscribed = progress.mark(buildId).orElse(null);
    reader
        .status(buildId)
        .ifPresentOrElse(
            status -> cursor.status(status, Instant.now()),
            () -> reader.latestLoggedAttempt(buildId).ifPresent(cursor::follow));
    readSteps();
    flush();
    boolean settled = false;
    boolean waking = true;
    boolean endingSeen = false;
    Gap gap = null;
    while (!cursor.ended()) {
      if (stopped || live.overflowed()) {
        return null;
      }
      Instant now = Instant.now();
      if (!settled) {
        if (subscribed == null) {
          subscribed = progress.mark(buildId).orElse(null);
        }
        if (subscribed != null && progress.covers(subscribed)) {
          settled = true;
          readAgain();
        }
      }
      if (cursor.wantsStoredLines()) {
        readLines();
      } else if (cursor.missing().isPresent()) {
        gap = readMissing(gap, now);
      } else {
        gap = null;
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
      boolean needsWaking = !settled || gap != null;
      if (needsWaking != waking) {
        if (needsWaking) {
          progress.wake(nudge);
        } else {
          progress.stopWaking(nudge);
        }
        waking = needsWaking;
      }
      drain(live, wait(opened, settled, subscribed, gap));
      Instant later = Instant.now();
      if (cursor.ending() && !later.isBefore(cursor.endsAt())) {
        readSteps();
      }
      cursor.tick(later);
      flush();
    }
    return StreamClose.ended();
  }

  /**
   * Reads lines known to exist but not sent, when it is time: at once when they were just found
   * missing, once the store has passed the mark taken then, or every {@code gap-retry} when the
   * event log cannot tell. Returns what is still missing.
   */
  private Gap readMissing(Gap gap, Instant now) {
    boolean passed = gap != null && gap.mark() != null && progress.covers(gap.mark());
    if (gap != null && !passed && now.isBefore(gap.readAgainAt())) {
      return gap;
    }
    int read = readLines();
    if (cursor.missing().isEmpty() || read == settings.pageSize()) {
      return null; // all there, or more to read at once
    }
    if (passed && read == 0) {
      // Stored past them, yet not there: do not ask the event log again and again.
      return new Gap(null, now.plus(settings.gapRetry()));
    }
    return new Gap(progress.mark(buildId).orElse(null), now.plus(settings.gapRetry()));
  }

  /** How long to wait for live events before looking again. */
  private Duration wait(Instant opened, boolean settled, StoreProgress.Mark subscribed, Gap gap) {
    if (cursor.wantsStoredLines() || (gap == null && cursor.missing().isPresent())) {
      return Duration.ZERO;
    }
    // The store may have moved on before this stream asked to be woken.
    if ((!settled && subscribed != null && progress.covers(subscribed))
        || (gap != null && gap.mark() != null && progress.covers(gap.mark()))) {
      return Duration.ZERO;
    }
    Instant now = Instant.now();
    Instant until = now.plus(TICK);
    if (gap != null) {
      until = earliest(until, gap.readAgainAt());
    }
    if (cursor.ending()) {
      until = earliest(until, cursor.endsAt());
    }
    if (!cursor.knowsBuild()) {
      until = earliest(until, opened.plus(settings.unknownBuildTimeout()));
    }
    return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** Reads again what live events may have missed: those sent before the subscription began. */
  private void readAgain() {
    reader.status(buildId).ifPresent(status -> cursor.status(status, Instant.now()));
    if (cursor.attempt() == 0) {
      reader.latestLoggedAttempt(buildId).ifPresent(cursor::follow);
    }
    readSteps();
    readLines();
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
