package dev.kiln.logs.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Decides what one live log stream sends next, given lines, steps and statuses that reach it from
 * two sources in any order: pages read from the database and events received live. Lines leave in
 * seq order with no gap and no repeat; a line ahead of the next one waits until the lines before it
 * are read from the database ({@link #missing()} says which). Steps are sent after the line their
 * seq names. The stream follows the build's newest attempt and ends once the build is terminal and
 * its last line was sent, after a short settle in which step events that lag on their own topic may
 * still come.
 *
 * <p>Not thread-safe: one stream drives one cursor from one thread.
 */
public final class LogStreamCursor {
  private final Consumer<StreamMessage> out;
  private final long after;
  private final Integer afterAttempt;
  private final Duration finalSeqGrace;
  private final Duration endSettle;
  private final int aheadLimit;

  private int attempt;
  private long lastSent;
  private long stepFloor;
  private long highestKnown;
  private Long finalSeq;
  private BuildStatus status;
  private boolean caughtUp;
  private Instant endingSince;
  private boolean ended;
  private final TreeMap<Long, LogEntry> ahead = new TreeMap<>();
  private final PriorityQueue<StepEvent> pendingSteps = new PriorityQueue<>(StepEvent.LOG_ORDER);
  private final Set<StepKey> knownSteps = new HashSet<>();

  /**
   * @param after the client has every line up to this seq
   * @param afterAttempt the attempt {@code after} belongs to; {@code null} for the first attempt
   *     the stream follows
   * @param finalSeqGrace how long after a build ended without a known last line the stream waits
   *     for it before it ends anyway
   * @param endSettle how long after its last line the stream still takes step events before it ends
   * @param aheadLimit how many lines ahead of a gap are kept; more are read again later
   * @param out receives the messages to send, in order
   */
  public LogStreamCursor(
      long after,
      Integer afterAttempt,
      Duration finalSeqGrace,
      Duration endSettle,
      int aheadLimit,
      Consumer<StreamMessage> out) {
    if (after < 0) {
      throw new IllegalArgumentException("after must not be negative");
    }
    this.after = after;
    this.afterAttempt = afterAttempt;
    this.finalSeqGrace = finalSeqGrace;
    this.endSettle = endSettle;
    this.aheadLimit = aheadLimit;
    this.out = out;
  }

  /** Lines still to be sent that are known to exist: read lines after {@code after}. */
  public record Gap(int attempt, long after, long upTo) {}

  private record StepKey(int step, StepEvent.Kind kind) {}

  /** The attempt the stream follows, 0 until one is known. */
  public int attempt() {
    return attempt;
  }

  /** The seq of the last line handed out. */
  public long lastSent() {
    return lastSent;
  }

  public boolean ended() {
    return ended;
  }

  /** Whether everything was sent and the stream only waits for late steps before it ends. */
  public boolean ending() {
    return endingSince != null && !ended;
  }

  /** When an ending stream ends; only meaningful while {@link #ending()}. */
  public Instant endsAt() {
    return endingSince == null ? Instant.MAX : endingSince.plus(endSettle);
  }

  /** Whether any status or line of the build was seen. */
  public boolean knowsBuild() {
    return attempt > 0 || status != null;
  }

  /** Follows {@code attempt} when the stream follows none yet (a build known only by its lines). */
  public void follow(int attempt) {
    if (this.attempt == 0 && attempt > 0) {
      enter(attempt);
    }
  }

  /** Whether the stored lines after the last sent one should be read. */
  public boolean wantsStoredLines() {
    return !ended && attempt > 0 && !caughtUp;
  }

  /** The lines known to exist but not sent, which only the database can give now. */
  public Optional<Gap> missing() {
    if (ended || attempt == 0) {
      return Optional.empty();
    }
    long target = Math.max(highestKnown, finalSeq == null ? 0 : finalSeq);
    return target > lastSent ? Optional.of(new Gap(attempt, lastSent, target)) : Optional.empty();
  }

  /** A status read from the database or received live; older statuses than the last are ignored. */
  public void status(BuildStatus next, Instant now) {
    if (ended || (status != null && !next.isLaterThan(status)) || next.attempt() < attempt) {
      return;
    }
    if (next.attempt() > attempt) {
      enter(next.attempt());
    }
    status = next;
    out.accept(new StreamMessage.Status(next));
    if (next.terminal()) {
      // Lines stored before the build ended must be read once more before "no lines" can be told.
      caughtUp = false;
      if (next.lastSeq() != null) {
        finalSeq = next.lastSeq();
      }
    }
    checkEnd(now);
  }

  /** A live event. */
  public void live(LogEvent event, Instant now) {
    if (ended) {
      return;
    }
    switch (event) {
      case LogEvent.Lines lines -> {
        follow(lines.attempt());
        if (lines.attempt() == attempt) {
          lines.lines().forEach(this::offer);
          if (lines.last()) {
            finalSeq = lines.lastSeq();
          }
        }
      }
      case LogEvent.LinesSkipped skipped -> {
        follow(skipped.attempt());
        if (skipped.attempt() == attempt) {
          highestKnown = Math.max(highestKnown, skipped.lastSeq());
          if (skipped.last()) {
            finalSeq = skipped.lastSeq();
          }
        }
      }
      case LogEvent.Step step -> steps(List.of(step.step()));
      case LogEvent.Status s -> status(s.status(), now);
    }
    checkEnd(now);
  }

  /** Lines read from the database, ascending by seq. */
  public void replayed(List<LogEntry> lines, Instant now) {
    if (ended) {
      return;
    }
    for (LogEntry line : lines) {
      if (line.attempt() == attempt) {
        offer(line);
      }
    }
    checkEnd(now);
  }

  /** Tells that the database held no line beyond those replayed so far. */
  public void caughtUp(Instant now) {
    caughtUp = true;
    checkEnd(now);
  }

  /** Steps read from the database or received live; a step seen before is ignored. */
  public void steps(Collection<StepEvent> steps) {
    for (StepEvent step : steps) {
      follow(step.attempt());
      if (ended || step.attempt() != attempt || !knownSteps.add(stepKey(step))) {
        continue;
      }
      if (step.seq() <= stepFloor && stepFloor > 0) {
        continue; // sent on the connection the client resumes from
      }
      if (step.seq() <= lastSent) {
        out.accept(new StreamMessage.Step(step));
      } else {
        pendingSteps.add(step);
      }
    }
  }

  /** Lets time pass: a build that ended without telling its last line ends after the grace. */
  public void tick(Instant now) {
    checkEnd(now);
  }

  private void enter(int next) {
    boolean resumes = afterAttempt == null ? attempt == 0 : afterAttempt == next;
    attempt = next;
    lastSent = resumes ? after : 0;
    stepFloor = lastSent;
    highestKnown = lastSent;
    finalSeq = null;
    caughtUp = false;
    ahead.clear();
    pendingSteps.clear();
    knownSteps.clear();
  }

  private void offer(LogEntry line) {
    long seq = line.seq();
    highestKnown = Math.max(highestKnown, seq);
    if (seq <= lastSent) {
      return;
    }
    if (seq == lastSent + 1) {
      send(line);
      drainAhead();
    } else if (ahead.size() < aheadLimit) {
      ahead.put(seq, line);
    } else if (seq < ahead.lastKey()) {
      // Keep the lines nearest the gap; dropped ones are read from the database later.
      ahead.put(seq, line);
      ahead.pollLastEntry();
    }
  }

  private void drainAhead() {
    while (!ahead.isEmpty()) {
      Map.Entry<Long, LogEntry> first = ahead.firstEntry();
      if (first.getKey() > lastSent + 1) {
        return;
      }
      ahead.pollFirstEntry();
      if (first.getKey() == lastSent + 1) {
        send(first.getValue());
      }
    }
  }

  private void send(LogEntry line) {
    out.accept(new StreamMessage.Line(line));
    lastSent = line.seq();
    while (!pendingSteps.isEmpty() && pendingSteps.peek().seq() <= lastSent) {
      out.accept(new StreamMessage.Step(pendingSteps.poll()));
    }
  }

  private void checkEnd(Instant now) {
    if (ended || status == null || !status.terminal() || status.attempt() != attempt) {
      return;
    }
    boolean done;
    if (finalSeq != null) {
      done = lastSent >= finalSeq;
    } else if (!caughtUp) {
      done = false;
    } else if (lastSent == 0 && highestKnown == 0) {
      done = true; // ended before any worker printed a line, such as cancelled while queued
    } else {
      done = !now.isBefore(status.changedAt().plus(finalSeqGrace));
    }
    if (!done) {
      return;
    }
    if (endingSince == null) {
      endingSince = now;
    }
    if (!now.isBefore(endsAt())) {
      List<StepEvent> rest = new ArrayList<>(pendingSteps);
      rest.sort(StepEvent.LOG_ORDER);
      rest.forEach(step -> out.accept(new StreamMessage.Step(step)));
      pendingSteps.clear();
      ahead.clear();
      ended = true;
      out.accept(new StreamMessage.End(status.to()));
    }
  }

  private static StepKey stepKey(StepEvent step) {
    return new StepKey(step.step(), step.kind());
  }
}
