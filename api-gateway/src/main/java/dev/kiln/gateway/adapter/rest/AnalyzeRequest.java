package dev.kiln.gateway.adapter.rest;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/dockerfiles/analyze}.
 *
 * @param dockerfile the Dockerfile's text
 * @param buildArgs values for its ARGs
 * @param target the stage to build, or {@code null} for the last
 * @param platform the platform built for ({@code os/arch[/variant]}), or {@code null}
 * @param skip lint rules not to run, by id or hadolint code, or {@code all}
 */
public record AnalyzeRequest(
    String dockerfile,
    Map<String, String> buildArgs,
    String target,
    String platform,
    List<String> skip) {
  public AnalyzeRequest {
    if (dockerfile == null || dockerfile.isBlank()) {
      throw new IllegalArgumentException("dockerfile is missing: give the Dockerfile's text");
    }
    buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
    skip = skip == null ? List.of() : List.copyOf(skip);
  }
}
