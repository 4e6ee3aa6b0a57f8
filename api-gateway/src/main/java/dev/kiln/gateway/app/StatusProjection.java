package dev.kiln.gateway.app;

import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Keeps each build record's status in step with {@code kiln.build.status.v1}. */
@ApplicationScoped
public class StatusProjection {
  private final BuildStore builds;

  public StatusProjection(BuildStore builds) {
    this.builds = builds;
  }

  /** Applies a batch of events; anything but status moves is ignored. */
  public void apply(List<Envelope> events) {
    List<Envelope> changes =
        events.stream().filter(e -> e.payload() instanceof BuildStatusChanged).toList();
    if (!changes.isEmpty()) {
      builds.applyStatusChanges(changes);
    }
  }
}
