package dev.kiln.worker.app;

import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.worker.domain.DockerfileSteps;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One build, ready for an engine: the sources are on disk.
 *
 * @param buildId the build
 * @param attempt its attempt
 * @param spec what to build
 * @param workDir the attempt's own folder, removed after it
 * @param contextDir the build context
 * @param dockerfile the Dockerfile to build, inside {@code workDir}
 * @param secretFiles the file holding each secret, by secret id
 * @param ignoreFile the {@code .dockerignore} rules the context was chosen with, when it has them
 * @param dockerfileSteps the steps of the Dockerfile for this build, with their lines
 */
public record EngineBuild(
    String buildId,
    int attempt,
    BuildSpec spec,
    Path workDir,
    Path contextDir,
    Path dockerfile,
    Map<String, Path> secretFiles,
    Optional<Path> ignoreFile,
    DockerfileSteps dockerfileSteps) {
  public EngineBuild {
    secretFiles = Map.copyOf(secretFiles);
  }
}
