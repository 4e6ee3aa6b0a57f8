package dev.kiln.worker.adapter.buildah;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.ImageRef;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.worker.app.BuildEngine;
import dev.kiln.worker.app.BuildOutcome;
import dev.kiln.worker.app.BuildOutput;
import dev.kiln.worker.app.Cancellation;
import dev.kiln.worker.app.EngineBuild;
import dev.kiln.worker.app.EngineFailure;
import dev.kiln.worker.domain.BuildahFailureClassifier;
import dev.kiln.worker.domain.BuildahOutputParser;
import dev.kiln.worker.domain.StepTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * The {@link BuildEngine} that drives the buildah command line: {@code buildah build --layers} into
 * the worker's own image store (whose layers are its build cache), {@code buildah push} to
 * registries or to an OCI archive, and {@code skopeo inspect} to read back what was pushed.
 */
public final class BuildahEngine implements BuildEngine {
  private static final Logger LOG = Logger.getLogger(BuildahEngine.class);
  private static final Duration SHORT_COMMAND = Duration.ofMinutes(2);
  private static final int KEPT_ERROR_LINES = 64;

  private final BuildahSettings settings;
  private final BuildahCommand commands;
  private final EngineProcess processes;
  private final BuildahFailureClassifier classifier =
      new BuildahFailureClassifier(Platform.current().toString());

  private final StorageLimit storage;

  public BuildahEngine(BuildahSettings settings) {
    this.settings = settings;
    this.commands = new BuildahCommand(settings);
    this.processes = new EngineProcess(commands.environment(), settings.cancelGrace());
    this.storage =
        new StorageLimit(settings.storage(), settings.storageMaxBytes(), Clock.systemUTC());
  }

  @Override
  public String verify() {
    return version(settings.buildah(), "kiln.worker.buildah")
        + "; "
        + version(settings.skopeo(), "kiln.worker.skopeo");
  }

  /** Removes working containers that builds killed in an earlier run of the worker left behind. */
  public void removeLeftoverContainers() {
    try {
      EngineProcess.Captured removed =
          processes.capture(commands.removeContainers(), SHORT_COMMAND);
      if (removed.exitCode() != 0) {
        LOG.warnf("cannot remove leftover build containers: %s", removed.stderr().strip());
      }
    } catch (IOException e) {
      LOG.warnf("cannot remove leftover build containers: %s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public StepTracker stepTracker(int attempt) {
    return new BuildahOutputParser(attempt);
  }

  @Override
  public BuildOutcome build(EngineBuild build, BuildOutput output, Cancellation cancellation)
      throws InterruptedException {
    BuildahCommand.Plan plan;
    try {
      plan = commands.build(build);
    } catch (BuildahCommand.UnsupportedBuildException e) {
      return new BuildOutcome.Failed(
          BuildError.of(
              ErrorCategory.PLATFORM_UNSUPPORTED,
              e.getMessage(),
              "Change the build's options, or run it on a worker that supports them."));
    }
    plan.notes().forEach(output::system);
    output.system(plan.shown());
    BiConsumer<LogStream, String> lines =
        (stream, text) -> {
          output.line(stream, text);
          storage.noteLine(text);
        };
    int exitCode;
    try {
      exitCode = run(plan.arguments(), build.workDir(), output, lines, cancellation);
    } finally {
      pruneStorageSoon();
    }
    if (cancellation.requested()) {
      removeContainersOf(build, output);
      return new BuildOutcome.Stopped();
    }
    if (exitCode != 0) {
      return new BuildOutcome.Failed(
          classifier.explainBuild(
              exitCode,
              output.runningStep(),
              build.dockerfileSteps(),
              output.recentLines(),
              build.spec().limits().memoryMb()));
    }
    Digest imageId = Digest.parse(read(BuildahCommand.iidFile(build.workDir())));
    storage.used(imageId.hex());
    return new BuildOutcome.Built(imageId);
  }

  /** Prunes the image store past its limit on a thread of its own, so no report waits for it. */
  private void pruneStorageSoon() {
    if (settings.storageMaxBytes() <= 0) {
      return;
    }
    Thread.ofVirtual()
        .name("storage-prune")
        .start(
            () -> {
              try {
                List<String> removed = storage.enforce(this::buildah);
                if (!removed.isEmpty()) {
                  LOG.infof(
                      "image store past %d bytes: removed %d least recently used images",
                      settings.storageMaxBytes(), removed.size());
                }
              } catch (IOException e) {
                LOG.warnf("cannot prune the image store: %s", e.getMessage());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  private String buildah(List<String> arguments) throws IOException, InterruptedException {
    EngineProcess.Captured done = processes.capture(commands.buildah(arguments), SHORT_COMMAND);
    if (done.exitCode() != 0) {
      throw new IOException(done.stderr().strip());
    }
    return done.stdout();
  }

  /**
   * Removes the working containers of a stopped build: a killed buildah leaves them mounted in the
   * store. They are found by the cgroup parent buildah recorded with each of them, so the
   * containers of the worker's other builds stay.
   */
  private void removeContainersOf(EngineBuild build, BuildOutput output)
      throws InterruptedException {
    String parent = BuildahCommand.cgroupParent(build);
    try {
      EngineProcess.Captured listed = processes.capture(commands.listContainers(), SHORT_COMMAND);
      if (listed.exitCode() != 0) {
        throw new IOException(listed.stderr().strip());
      }
      List<String> ids = WorkingContainers.ofCgroupParent(listed.stdout(), settings, parent);
      if (ids.isEmpty()) {
        return;
      }
      EngineProcess.Captured removed =
          processes.capture(commands.removeContainers(ids), SHORT_COMMAND);
      if (removed.exitCode() != 0) {
        throw new IOException(removed.stderr().strip());
      }
      output.system("removed " + ids.size() + " working container(s) of the stopped build");
    } catch (IOException e) {
      LOG.warnf("cannot remove the working containers of %s: %s", parent, e.getMessage());
    }
  }

  @Override
  public ImageInfo push(
      EngineBuild build, Digest imageId, BuildOutput output, Cancellation cancellation)
      throws EngineFailure, InterruptedException {
    List<ImageRef> tags = build.spec().tags();
    Path workDir = build.workDir();
    Digest manifest = null;
    List<String> pushed = new ArrayList<>();
    for (int i = 0; i < tags.size(); i++) {
      ImageRef tag = tags.get(i);
      Path digestFile = workDir.resolve("push-" + i + ".digest");
      output.system("pushing to " + tag);
      ArrayDeque<String> errors = new ArrayDeque<>();
      int exitCode =
          run(
              commands.push(imageId, tag, digestFile),
              workDir,
              output,
              keep(output, errors),
              cancellation);
      if (exitCode != 0 || cancellation.requested()) {
        throw new EngineFailure(
            classifier.explainPush(exitCode, tag.toString(), List.copyOf(errors)));
      }
      Digest digest = Digest.parse(read(digestFile));
      output.system("pushed " + tag + "@" + digest);
      manifest = manifest == null ? digest : manifest;
      pushed.add(tag.toString());
    }
    ImageRef first = tags.getFirst();
    ImageManifests.Layers layers =
        layers(
            "docker://" + first.name() + "@" + manifest, settings.isInsecure(first), build, output);
    return new ImageInfo(manifest, imageId, pushed, layers.size(), layers.layers(), false);
  }

  @Override
  public ImageInfo archive(
      EngineBuild build,
      Digest imageId,
      Path archive,
      BuildOutput output,
      Cancellation cancellation)
      throws EngineFailure, InterruptedException {
    output.system("writing the image as an OCI archive");
    Path digestFile = archive.resolveSibling(archive.getFileName() + ".digest");
    ArrayDeque<String> errors = new ArrayDeque<>();
    int exitCode =
        run(
            commands.archive(imageId, archive, digestFile),
            archive.getParent(),
            output,
            keep(output, errors),
            cancellation);
    if (exitCode != 0 || cancellation.requested()) {
      String detail = errors.isEmpty() ? "buildah push exited with " + exitCode : errors.getLast();
      throw new EngineFailure(
          new BuildError(
              ErrorCategory.INTERNAL,
              "cannot write the image archive: " + detail,
              "Check the worker's free disk space, then retry the build.",
              null,
              null,
              null,
              exitCode));
    }
    Digest digest = Digest.parse(read(digestFile));
    ImageManifests.Layers layers = layers("oci-archive:" + archive, false, build, output);
    return new ImageInfo(digest, imageId, List.of(), layers.size(), layers.layers(), false);
  }

  /**
   * Reads the layers of an image where it was delivered; an image that cannot be read back is still
   * delivered, so a failure here only leaves the layer list empty.
   */
  private ImageManifests.Layers layers(
      String location, boolean insecure, EngineBuild build, BuildOutput output)
      throws InterruptedException {
    // The manifest and the config are two skopeo runs; side by side they cost one.
    FutureTask<EngineProcess.Captured> config =
        new FutureTask<>(
            () -> processes.capture(commands.inspect(location, true, insecure), SHORT_COMMAND));
    Thread.ofVirtual().name("inspect-config").start(config);
    try {
      EngineProcess.Captured manifest =
          processes.capture(commands.inspect(location, false, insecure), SHORT_COMMAND);
      EngineProcess.Captured configRead = config.get();
      if (manifest.exitCode() != 0) {
        output.system("cannot read the image's layers: " + manifest.stderr().strip());
        return new ImageManifests.Layers(0, List.of());
      }
      ImageManifests.Layers layers =
          ImageManifests.read(
              manifest.stdout(),
              configRead.exitCode() == 0 ? configRead.stdout() : null,
              build.dockerfileSteps().imageStage());
      output.system("image: " + layers.layers().size() + " layers, " + layers.size() + " bytes");
      return layers;
    } catch (ExecutionException e) {
      output.system("cannot read the image's layers: " + e.getCause().getMessage());
      return new ImageManifests.Layers(0, List.of());
    } catch (IOException | RuntimeException e) {
      output.system("cannot read the image's layers: " + e.getMessage());
      return new ImageManifests.Layers(0, List.of());
    }
  }

  private int run(
      List<String> command,
      Path directory,
      BuildOutput output,
      BiConsumer<LogStream, String> lines,
      Cancellation cancellation)
      throws InterruptedException {
    try {
      return processes.run(command, directory, output.lineBytesToKeep(), lines, cancellation);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.getFirst(), e);
    }
  }

  /** Passes lines on to the log and keeps the last standard-error lines for explaining. */
  private static BiConsumer<LogStream, String> keep(BuildOutput output, ArrayDeque<String> errors) {
    return (stream, text) -> {
      output.line(stream, text);
      if (stream == LogStream.STDERR) {
        synchronized (errors) {
          if (errors.size() == KEPT_ERROR_LINES) {
            errors.removeFirst();
          }
          errors.addLast(text);
        }
      }
    };
  }

  private String version(String binary, String setting) {
    try {
      EngineProcess.Captured version =
          processes.capture(List.of(binary, "--version"), SHORT_COMMAND);
      if (version.exitCode() != 0) {
        throw new IllegalStateException(binary + " --version failed: " + version.stderr().strip());
      }
      return version.stdout().strip();
    } catch (IOException e) {
      throw new IllegalStateException(
          binary + " not found: install it or point " + setting + " at it (" + e.getMessage() + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking " + binary, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
