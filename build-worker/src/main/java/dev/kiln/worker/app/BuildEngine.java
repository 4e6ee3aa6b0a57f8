package dev.kiln.worker.app;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.worker.domain.StepTracker;
import java.nio.file.Path;

/**
 * Builds container images from a Dockerfile and hands them on. Every operation streams what the
 * engine prints into the build's {@link BuildOutput} and stops promptly when its {@link
 * Cancellation} is requested.
 */
public interface BuildEngine {
  /**
   * Checks that the engine can run on this machine.
   *
   * @return a short description of it, such as its version
   * @throws IllegalStateException naming what is missing
   */
  String verify();

  /** A fresh reader of this engine's output that finds the Dockerfile steps in it. */
  StepTracker stepTracker(int attempt);

  /** Runs one build to its end. */
  BuildOutcome build(EngineBuild build, BuildOutput output, Cancellation cancellation)
      throws InterruptedException;

  /**
   * Pushes the image a build made to every tag of its spec.
   *
   * @return the image as the registry holds it, with its manifest digest, the refs pushed and its
   *     layers with the Dockerfile line that made each
   */
  ImageInfo push(EngineBuild build, Digest imageId, BuildOutput output, Cancellation cancellation)
      throws EngineFailure, InterruptedException;

  /**
   * Writes the image a build made as an OCI archive.
   *
   * @return the image as the archive holds it
   */
  ImageInfo archive(
      EngineBuild build,
      Digest imageId,
      Path archive,
      BuildOutput output,
      Cancellation cancellation)
      throws EngineFailure, InterruptedException;
}
