package dev.kiln.worker.app;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.CancelAcknowledged;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.worker.domain.DockerfileCheck;
import dev.kiln.worker.domain.DockerfileSteps;
import dev.kiln.worker.domain.LineCap;
import dev.kiln.worker.domain.LogSequencer;
import dev.kiln.worker.domain.SecretMask;
import dev.kiln.worker.domain.StopReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one accepted build attempt from its sources to its report: prepares the workspace, lets the
 * engine build, pushes or archives the image, closes the log, and reports {@code BuildFinished}
 * only after the log's last chunk is stored.
 */
public final class BuildExecution {
  private static final Logger LOG = Logger.getLogger(BuildExecution.class);

  /**
   * What every execution of this worker shares.
   *
   * @param workerId this worker
   * @param workRoot the folder holding every attempt's workspace
   * @param engine the build engine
   * @param platform the platform this worker builds for
   * @param dockerfiles reads each build's Dockerfile before the engine runs
   * @param contexts where uploaded contexts come from
   * @param repositories where git sources come from
   * @param archives where archives of unpushed images go
   * @param events where reports, steps and log chunks go
   * @param logLimits how log lines are batched
   * @param lineCap the longest log line published
   * @param maxLogBytes the most log text published per attempt
   * @param workerSecrets values of the worker's own (credentials) never to publish
   * @param timer runs the log batcher's linger deadlines and the builds' time limits
   * @param reportTimeout the longest to wait for the broker to store a report
   * @param clock the time of log lines and steps
   */
  public record Services(
      String workerId,
      Path workRoot,
      BuildEngine engine,
      Platform platform,
      DockerfileCheck dockerfiles,
      ContextFetcher contexts,
      RepositoryFetcher repositories,
      ImageArchiveStore archives,
      EventSink events,
      LogBatcher.Limits logLimits,
      LineCap lineCap,
      long maxLogBytes,
      SecretMask workerSecrets,
      ScheduledExecutorService timer,
      Duration reportTimeout,
      Clock clock) {}

  private record Report(BuildState outcome, ImageInfo image, BuildError error) {
    static Report failed(BuildError error) {
      return new Report(BuildState.FAILED, null, error);
    }

    static Report stopped(StopReason reason) {
      return new Report(reason.outcome(), null, reason.error());
    }
  }

  private final Assignment assignment;
  private final Services services;
  private final Cancellation cancellation = new Cancellation();
  private volatile boolean cancelCommanded;

  public BuildExecution(Assignment assignment, Services services) {
    this.assignment = assignment;
    this.services = services;
  }

  public Assignment assignment() {
    return assignment;
  }

  /**
   * Asks the attempt to stop; returns at once, the attempt reports when it has stopped. A stop the
   * scheduler commanded is acknowledged after the report, even when the attempt was stopping
   * already for a reason of its own (its time limit).
   */
  public void stop(StopReason reason) {
    if (reason.commanded()) {
      cancelCommanded = true;
    }
    Thread.ofVirtual()
        .name("stop-" + assignment.buildId())
        .start(() -> cancellation.request(reason));
  }

  /** Runs the attempt on the calling thread until it has reported. */
  public void run() {
    String buildId = assignment.buildId();
    BuildTranscript transcript = newTranscript();
    Workspace workspace = null;
    Report report;
    ScheduledFuture<?> deadline = scheduleTimeLimit();
    try {
      workspace = Workspace.create(services.workRoot(), buildId, assignment.attempt());
      report = execute(workspace, transcript);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report = Report.stopped(StopReason.WORKER_STOPPING);
    } catch (IOException | RuntimeException e) {
      LOG.errorf(e, "build %s attempt %d failed in the worker", buildId, assignment.attempt());
      report =
          new Report(
              BuildState.ERROR,
              null,
              BuildError.of(
                  ErrorCategory.INTERNAL,
                  "the worker failed: " + e.getMessage(),
                  "Retry the build; if it fails again, read the worker's log."));
    }
    // Reports carry text from the image and the engine too; no secret may leave in them.
    report =
        new Report(
            report.outcome(), transcript.masked(report.image()), transcript.masked(report.error()));
    if (report.error() != null && !cancellation.requested()) {
      transcript.system("error: " + report.error().message());
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
    try {
      report(transcript, report);
    } finally {
      removeWorkspace(workspace);
    }
  }

  /**
   * Stops the build when it runs past {@code limits.timeoutSeconds}, on the worker's own clock; the
   * scheduler's {@code CancelBuild(TIMEOUT)} may come first, and either ends it TIMED_OUT.
   */
  private ScheduledFuture<?> scheduleTimeLimit() {
    Integer seconds = assignment.spec().limits().timeoutSeconds();
    if (seconds == null) {
      return null;
    }
    return services
        .timer()
        .schedule(
            () ->
                Thread.ofVirtual()
                    .name("time-limit-" + assignment.buildId())
                    .start(() -> cancellation.request(StopReason.TIMEOUT)),
            seconds,
            TimeUnit.SECONDS);
  }

  private BuildTranscript newTranscript() {
    String buildId = assignment.buildId();
    LogBatcher batcher =
        new LogBatcher(
            assignment.attempt(),
            services.logLimits(),
            chunk -> services.events().publish(buildId, chunk),
            services.timer());
    SecretMask mask =
        SecretMask.of(assignment.spec().secrets().values()).and(services.workerSecrets());
    return new BuildTranscript(
        buildId,
        new LogSequencer(services.engine().stepTracker(assignment.attempt())),
        batcher,
        services.events(),
        services.clock(),
        new BuildTranscript.Limits(mask, services.lineCap(), services.maxLogBytes()));
  }

  private Report execute(Workspace workspace, BuildTranscript transcript)
      throws IOException, InterruptedException {
    Platform wanted = assignment.spec().options().platform();
    if (wanted != null && !builds(wanted)) {
      return Report.failed(
          BuildError.of(
              ErrorCategory.PLATFORM_UNSUPPORTED,
              "this worker builds for "
                  + services.platform()
                  + " and cannot build for "
                  + wanted
                  + " (no emulation)",
              "Run the build on a worker of "
                  + wanted
                  + ", or leave options.platform out to build for "
                  + services.platform()
                  + "."));
    }
    Workspace.Sources sources;
    try {
      sources =
          workspace.prepare(
              assignment.spec(),
              services.contexts(),
              services.repositories(),
              transcript,
              cancellation);
    } catch (SourceFetchException e) {
      if (cancellation.requested()) {
        return stopped(transcript);
      }
      return Report.failed(
          BuildError.of(ErrorCategory.SOURCE_FETCH_FAILED, e.getMessage(), e.suggestion()));
    }
    if (cancellation.requested()) {
      return stopped(transcript);
    }
    String dockerfile =
        new String(Files.readAllBytes(sources.dockerfile()), StandardCharsets.UTF_8);
    Platform buildsFor = wanted == null ? services.platform() : wanted;
    DockerfileSteps steps;
    switch (services.dockerfiles().check(dockerfile, assignment.spec(), buildsFor)) {
      case DockerfileCheck.Refused refused -> {
        return Report.failed(refused.error());
      }
      case DockerfileCheck.Buildable buildable -> steps = buildable.steps();
    }
    transcript.useDockerfileSteps(steps);
    EngineBuild build =
        new EngineBuild(
            assignment.buildId(),
            assignment.attempt(),
            assignment.spec(),
            workspace.dir(),
            sources.contextDir(),
            sources.dockerfile(),
            workspace.writeSecrets(assignment.spec().secrets()),
            sources.ignoreFile(),
            steps);
    BuildOutcome outcome = services.engine().build(build, transcript, cancellation);
    return switch (outcome) {
      case BuildOutcome.Stopped stopped -> stopped(transcript);
      case BuildOutcome.Failed failed -> Report.failed(failed.error());
      case BuildOutcome.Built built -> deliver(build, built, workspace, transcript);
    };
  }

  /** Whether this worker builds for the platform: the same OS and architecture (any variant). */
  private boolean builds(Platform wanted) {
    Platform own = services.platform();
    return wanted.os().equals(own.os()) && wanted.architecture().equals(own.architecture());
  }

  /** Pushes the image to its tags, or keeps it as an archive when the build does not push. */
  private Report deliver(
      EngineBuild build, BuildOutcome.Built built, Workspace workspace, BuildTranscript transcript)
      throws IOException, InterruptedException {
    try {
      if (assignment.spec().push()) {
        ImageInfo image = services.engine().push(build, built.imageId(), transcript, cancellation);
        return new Report(BuildState.SUCCEEDED, image, null);
      }
      Path archive = workspace.dir().resolve("image.tar");
      ImageInfo image =
          services.engine().archive(build, built.imageId(), archive, transcript, cancellation);
      transcript.system("uploading the image archive (" + Files.size(archive) + " bytes)");
      services.archives().store(assignment.buildId(), archive);
      transcript.system("image archive stored");
      return new Report(
          BuildState.SUCCEEDED,
          new ImageInfo(
              image.digest(),
              image.imageId(),
              image.pushedRefs(),
              image.size(),
              image.layers(),
              true),
          null);
    } catch (EngineFailure e) {
      if (cancellation.requested()) {
        return stopped(transcript);
      }
      boolean workerFault = e.error().category() == ErrorCategory.INTERNAL;
      return new Report(workerFault ? BuildState.ERROR : BuildState.FAILED, null, e.error());
    } catch (IOException e) {
      if (cancellation.requested()) {
        return stopped(transcript);
      }
      return new Report(
          BuildState.ERROR,
          null,
          BuildError.of(
              ErrorCategory.INTERNAL,
              "cannot store the image archive: " + e.getMessage(),
              "Check that the gateway is reachable from the worker, then retry the build."));
    }
  }

  private Report stopped(BuildTranscript transcript) {
    StopReason reason = cancellation.reason().orElse(StopReason.WORKER_STOPPING);
    transcript.system(reason.logLine());
    return Report.stopped(reason);
  }

  private void report(BuildTranscript transcript, Report report) {
    String buildId = assignment.buildId();
    int attempt = assignment.attempt();
    try {
      long lastSeq =
          transcript
              .close(report.outcome() != BuildState.SUCCEEDED)
              .get(services.reportTimeout().toMillis(), TimeUnit.MILLISECONDS);
      await(
          services
              .events()
              .publish(
                  buildId,
                  new BuildFinished(
                      services.workerId(),
                      attempt,
                      report.outcome(),
                      report.image(),
                      report.error(),
                      lastSeq)));
      if (cancelCommanded) {
        await(
            services
                .events()
                .publish(buildId, new CancelAcknowledged(services.workerId(), attempt)));
      }
      if (report.error() == null) {
        LOG.infof("build %s attempt %d: %s", buildId, attempt, report.outcome());
      } else {
        LOG.infof(
            "build %s attempt %d: %s (%s: %s)",
            buildId,
            attempt,
            report.outcome(),
            report.error().category(),
            report.error().message());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.errorf("build %s attempt %d: interrupted before its report was stored", buildId, attempt);
    } catch (Exception e) {
      // Without its report the scheduler sees the attempt vanish from the heartbeats and
      // requeues it, which is the best left to do.
      LOG.errorf(e, "build %s attempt %d: cannot store its report", buildId, attempt);
    }
  }

  private void await(CompletableFuture<Void> stored) throws Exception {
    stored.get(services.reportTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void removeWorkspace(Workspace workspace) {
    if (workspace == null) {
      return;
    }
    try {
      workspace.delete();
    } catch (IOException e) {
      LOG.warnf(e, "cannot remove the workspace %s", workspace.dir());
    }
  }
}
