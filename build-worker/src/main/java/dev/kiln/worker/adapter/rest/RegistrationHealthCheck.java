package dev.kiln.worker.adapter.rest;

import dev.kiln.worker.config.WorkerLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the commands consumer owns its partitions, so an assignment published now
 * reaches this worker.
 */
@Readiness
@ApplicationScoped
public class RegistrationHealthCheck implements HealthCheck {
  @Inject WorkerLifecycle worker;

  @Override
  public HealthCheckResponse call() {
    boolean registered = worker.registered();
    var response = HealthCheckResponse.named("registered").status(registered);
    if (worker.workerId() != null) {
      response.withData("workerId", worker.workerId());
    }
    return response.build();
  }
}
