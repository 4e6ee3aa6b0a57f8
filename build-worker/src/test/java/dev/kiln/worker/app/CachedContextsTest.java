package dev.kiln.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedContextsTest {
  private static final Digest FIRST = Digest.parse("sha256:" + "1".repeat(64));
  private static final Digest SECOND = Digest.parse("sha256:" + "2".repeat(64));

  @TempDir Path temp;
  private final AtomicInteger downloads = new AtomicInteger();

  private final ContextFetcher origin =
      (context, target, cancellation) -> {
        downloads.incrementAndGet();
        try {
          Files.createDirectories(target.resolve("src"));
          Files.writeString(target.resolve("src/main.c"), "x".repeat(600));
          Files.createSymbolicLink(target.resolve("latest"), Path.of("src/main.c"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return 3;
      };

  @Test
  void aContextBuiltAgainIsLinkedFromTheCacheWithoutADownload() throws Exception {
    CachedContexts contexts =
        new CachedContexts(origin, temp.resolve("cache"), 10_000, Clock.systemUTC());
    Path first = Files.createDirectories(temp.resolve("first"));
    Path second = Files.createDirectories(temp.resolve("second"));

    assertThat(contexts.isCached(FIRST)).isFalse();
    contexts.fetch(FIRST, first, new Cancellation());
    long entries = contexts.fetch(FIRST, second, new Cancellation());

    assertThat(downloads).hasValue(1);
    assertThat(contexts.isCached(FIRST)).isTrue();
    assertThat(entries).isEqualTo(3);
    assertThat(Files.isSameFile(first.resolve("src/main.c"), second.resolve("src/main.c")))
        .isTrue();
    assertThat(Files.readSymbolicLink(second.resolve("latest"))).isEqualTo(Path.of("src/main.c"));
  }

  @Test
  void pastItsSizeTheLeastRecentlyUsedContextIsDropped() throws Exception {
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    CachedContexts contexts = new CachedContexts(origin, temp.resolve("cache"), 1000, clock);

    contexts.fetch(FIRST, Files.createDirectories(temp.resolve("a")), new Cancellation());
    now[0] = now[0].plusSeconds(60);
    contexts.fetch(SECOND, Files.createDirectories(temp.resolve("b")), new Cancellation());

    assertThat(contexts.isCached(FIRST)).isFalse();
    assertThat(contexts.isCached(SECOND)).isTrue();
    assertThat(temp.resolve("a/src/main.c")).exists();
  }
}
