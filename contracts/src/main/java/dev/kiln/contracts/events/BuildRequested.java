package dev.kiln.contracts.events;

import dev.kiln.contracts.spec.BuildSpec;
import java.util.Objects;

/**
 * A build was accepted by the API and must be queued.
 *
 * @param spec the build as submitted, secrets included (they travel only on this topic and the
 *     command topic)
 * @param owner who submitted it; fairness shares the farm between owners
 */
public record BuildRequested(BuildSpec spec, String owner) implements Event {
  public BuildRequested {
    Objects.requireNonNull(spec, "spec");
    owner = owner == null || owner.isBlank() ? "anonymous" : owner;
  }
}
