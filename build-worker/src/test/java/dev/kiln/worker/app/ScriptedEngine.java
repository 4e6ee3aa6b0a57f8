package dev.kiln.worker.app;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.worker.domain.BuildahOutputParser;
import dev.kiln.worker.domain.StepTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A test double of an engine whose builds run until the test lets them end or they are stopped. */
final class ScriptedEngine implements BuildEngine {
  private static final Digest IMAGE = Digest.parse("sha256:" + "b".repeat(64));
  private final Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();

  /** Lets the build end successfully. */
  void release(String buildId) {
    latch(buildId).countDown();
  }

  @Override
  public String verify() {
    return "scripted";
  }

  @Override
  public StepTracker stepTracker(int attempt) {
    return new BuildahOutputParser(attempt);
  }

  @Override
  public BuildOutcome build(EngineBuild build, BuildOutput output, Cancellation cancellation)
      throws InterruptedException {
    output.line(LogStream.STDOUT, "STEP 1/1: RUN work");
    CountDownLatch release = latch(build.buildId());
    try (Cancellation.Registration stop = cancellation.onStop(release::countDown)) {
      if (!release.await(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("build " + build.buildId() + " was never released");
      }
    }
    return cancellation.requested() ? new BuildOutcome.Stopped() : new BuildOutcome.Built(IMAGE);
  }

  @Override
  public ImageInfo push(EngineBuild build, Digest imageId, BuildOutput output, Cancellation c) {
    throw new UnsupportedOperationException("these builds do not push");
  }

  @Override
  public ImageInfo archive(
      EngineBuild build, Digest imageId, Path archive, BuildOutput output, Cancellation c) {
    try {
      Files.writeString(archive, "an archive");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ImageInfo(IMAGE, imageId, List.of(), 0, List.of(), false);
  }

  private CountDownLatch latch(String buildId) {
    return releases.computeIfAbsent(buildId, id -> new CountDownLatch(1));
  }
}
