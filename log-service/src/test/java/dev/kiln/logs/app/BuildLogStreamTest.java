package dev.kiln.logs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.contracts.BuildState;
import dev.kiln.logs.domain.AttemptProgress;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.LogEvent;
import dev.kiln.logs.domain.StepEvent;
import dev.kiln.logs.domain.StreamMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuildLogStreamTest {
  private static final String BUILD = "build-1";
  private static final StreamSettings SETTINGS =
      new StreamSettings(
          1000,
          10_000,
          Duration.ofSeconds(30),
          Duration.ofMillis(20),
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          Duration.ofSeconds(30));

  private final StoredLog store = new StoredLog();
  private final ControlledProgress progress = new ControlledProgress();
  private final LiveFeed feed = new LiveFeed();
  private final CollectingSink sink = new CollectingSink();
  private BuildLogStream stream;

  @AfterEach
  void stop() {
    if (stream != null) {
      stream.stop();
    }
  }

  @Test
  void aStreamFollowingABuildLiveReadsNothingOnceItCaughtUp() throws Exception {
    store.status(running());
    store.add(lines(1, 100));
    progress.coverAll();
    start(0);
    await().until(() -> sink.seqs().size() == 100);
    int readsWhenCaughtUp = store.reads.get();

    for (long from = 101; from <= 2_100; from += 100) {
      LogEvent.Lines chunk = new LogEvent.Lines(1, from, lines(from, from + 99), false);
      store.add(chunk.lines());
      feed.publish(BUILD, chunk);
      Thread.sleep(100);
    }
    await().until(() -> sink.seqs().size() == 2_100);

    assertThat(sink.seqs()).isEqualTo(range(1, 2_100));
    assertThat(store.reads.get()).isEqualTo(readsWhenCaughtUp);
  }

  @Test
  void linesAnnouncedLiveButNotStoredAreReadOnceNowAndOnceTheStoreHasPassedThem() {
    store.status(running());
    store.add(lines(1, 10));
    progress.coverAll();
    start(0);
    await().until(() -> sink.seqs().size() == 10);
    int linesReadsBefore = store.lineReads.get();
    progress.coverNothingNew();

    // Lines 11 to 20 were consumed live before the stream subscribed and are not stored yet.
    feed.publish(BUILD, new LogEvent.Lines(1, 21, lines(21, 30), false));
    await().until(() -> store.lineReads.get() == linesReadsBefore + 1);
    store.add(lines(11, 30));
    progress.coverAll();

    await().until(() -> sink.seqs().size() == 30);
    assertThat(sink.seqs()).isEqualTo(range(1, 30));
    assertThat(store.lineReads.get()).isEqualTo(linesReadsBefore + 2);
  }

  @Test
  void anEndStoredAfterTheReplayIsFoundOnceTheStoreCaughtUpWithTheSubscription() {
    store.status(running());
    store.add(lines(1, 5));
    start(0);
    await().until(() -> sink.seqs().size() == 5);

    // The terminal status reached the service live before the stream subscribed.
    store.status(
        new BuildStatus(BuildState.RUNNING, BuildState.SUCCEEDED, 1, null, "w", 5L, now()));
    progress.coverAll();

    await().until(() -> sink.closed != null);
    assertThat(sink.messages.getLast()).isEqualTo(new StreamMessage.End(BuildState.SUCCEEDED));
    assertThat(sink.closed).isEqualTo(StreamClose.ended());
  }

  private void start(long after) {
    stream = new BuildLogStream(BUILD, after, null, store, feed, progress, SETTINGS, sink);
    Thread.ofVirtual().start(stream);
  }

  private static BuildStatus running() {
    return new BuildStatus(BuildState.ASSIGNED, BuildState.RUNNING, 1, null, "w", null, now());
  }

  private static Instant now() {
    return Instant.now();
  }

  private static List<LogEntry> lines(long from, long to) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(seq -> new LogEntry(1, seq, Instant.now(), "stdout", 1, "line " + seq))
        .toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /** An in-memory store of one build that counts every read. */
  private static final class StoredLog implements LogReader {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger lineReads = new AtomicInteger();
    private final List<LogEntry> lines = new ArrayList<>();
    private volatile BuildStatus status;

    synchronized void add(List<LogEntry> more) {
      for (LogEntry line : more) {
        if (lines.stream().noneMatch(l -> l.seq() == line.seq())) {
          lines.add(line);
        }
      }
      lines.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    }

    void status(BuildStatus next) {
      status = next;
    }

    @Override
    public Optional<BuildStatus> status(String buildId) {
      reads.incrementAndGet();
      return Optional.ofNullable(status);
    }

    @Override
    public OptionalInt latestLoggedAttempt(String buildId) {
      reads.incrementAndGet();
      return OptionalInt.of(1);
    }

    @Override
    public AttemptProgress progress(String buildId, int attempt) {
      reads.incrementAndGet();
      return AttemptProgress.none(attempt);
    }

    @Override
    public synchronized List<LogEntry> lines(String buildId, int attempt, long after, int limit) {
      reads.incrementAndGet();
      lineReads.incrementAndGet();
      return lines.stream().filter(l -> l.seq() > after).limit(limit).toList();
    }

    @Override
    public List<StepEvent> steps(String buildId, int attempt) {
      reads.incrementAndGet();
      return List.of();
    }
  }

  /** Store progress moved by the test: marks are numbered, and covered up to a number. */
  private static final class ControlledProgress implements StoreProgress {
    private record Numbered(int number) implements Mark {}

    private final AtomicInteger marks = new AtomicInteger();
    private final Set<Runnable> waiters = ConcurrentHashMap.newKeySet();
    private volatile int coveredUpTo;

    void coverAll() {
      coveredUpTo = Integer.MAX_VALUE;
      waiters.forEach(Runnable::run);
    }

    /** Marks taken from now on are not covered until {@link #coverAll}. */
    void coverNothingNew() {
      coveredUpTo = marks.get();
    }

    @Override
    public Optional<Mark> mark(String buildId) {
      return Optional.of(new Numbered(marks.incrementAndGet()));
    }

    @Override
    public boolean covers(Mark mark) {
      return ((Numbered) mark).number() <= coveredUpTo;
    }

    @Override
    public void wake(Runnable nudge) {
      waiters.add(nudge);
    }

    @Override
    public void stopWaking(Runnable nudge) {
      waiters.remove(nudge);
    }
  }

  /** A client that takes everything at once. */
  private static final class CollectingSink implements StreamSink {
    final List<StreamMessage> messages = new CopyOnWriteArrayList<>();
    volatile StreamClose closed;

    List<Long> seqs() {
      return messages.stream()
          .filter(m -> m instanceof StreamMessage.Line)
          .map(m -> ((StreamMessage.Line) m).entry().seq())
          .toList();
    }

    @Override
    public void send(StreamMessage message) {
      messages.add(message);
    }

    @Override
    public void flush(Duration timeout) {}

    @Override
    public void close(StreamClose close) {
      closed = close;
    }
  }
}
