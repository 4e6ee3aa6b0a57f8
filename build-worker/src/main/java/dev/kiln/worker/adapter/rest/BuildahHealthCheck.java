package dev.kiln.worker.adapter.rest;

import dev.kiln.worker.app.BuildEngine;
import dev.kiln.worker.config.WorkerLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while buildah (and skopeo) can be run: without them no build can succeed here. */
@Readiness
@ApplicationScoped
public class BuildahHealthCheck implements HealthCheck {
  @Inject WorkerLifecycle worker;

  @Override
  public HealthCheckResponse call() {
    BuildEngine engine = worker.engine();
    if (engine == null) {
      return HealthCheckResponse.named("buildah").down().build();
    }
    try {
      return HealthCheckResponse.named("buildah").up().withData("tools", engine.verify()).build();
    } catch (IllegalStateException e) {
      return HealthCheckResponse.named("buildah").down().withData("error", e.getMessage()).build();
    }
  }
}
