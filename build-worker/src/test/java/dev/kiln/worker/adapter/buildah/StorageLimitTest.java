package dev.kiln.worker.adapter.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which images go when the store is too large, with a stand-in for buildah's images and rmi. */
class StorageLimitTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @TempDir Path storage;

  @Test
  void leastRecentlyUsedImagesGoFirstUntilTheStoreFitsAndRecentOnesStay() throws Exception {
    Map<String, Path> blobs =
        Map.of(
            "a".repeat(64), blob("a", 4000),
            "b".repeat(64), blob("b", 4000),
            "c".repeat(64), blob("c", 4000),
            "d".repeat(64), blob("d", 4000));
    Instant[] now = {NOW};
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    StorageLimit limit = new StorageLimit(storage, 9000, clock);
    // An hour ago a build reused "b"; now a build runs from "c" and has just made "d".
    limit.noteLine("--> Using cache " + "b".repeat(64));
    now[0] = NOW.plus(Duration.ofHours(1));
    limit.noteLine("STEP 1/2: FROM 127.0.0.1:5000/base/busybox:1");
    limit.noteLine("--> " + "d".repeat(11));
    List<String> tried = new ArrayList<>();
    StorageLimit.Buildah buildah =
        arguments -> {
          if (arguments.getFirst().equals("images")) {
            return """
                [{"id":"%s","names":[],"created":1000},
                 {"id":"%s","names":[],"created":2000},
                 {"id":"%s","names":["127.0.0.1:5000/base/busybox:1"],"created":1500},
                 {"id":"%s","names":[],"created":3000}]
                """
                .formatted("a".repeat(64), "b".repeat(64), "c".repeat(64), "d".repeat(64));
          }
          String id = arguments.get(1);
          tried.add(id.substring(0, 1));
          Files.delete(blobs.get(id));
          return "";
        };

    List<String> removed = limit.enforce(buildah);

    assertThat(tried).containsExactly("a", "b");
    assertThat(removed).containsExactly("a".repeat(64), "b".repeat(64));
  }

  @Test
  void aStoreWithinItsLimitIsLeftAlone() throws Exception {
    blob("a", 100);
    StorageLimit limit = new StorageLimit(storage, 1000, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(
            limit.enforce(
                arguments -> {
                  throw new IOException("buildah must not run");
                }))
        .isEmpty();
  }

  private Path blob(String name, int size) throws IOException {
    return Files.write(storage.resolve(name), new byte[size]);
  }
}
