package dev.kiln.worker.adapter.kafka;

import dev.kiln.contracts.events.BuildAssigned;
import dev.kiln.contracts.events.CancelBuild;
import dev.kiln.messaging.ReceivedEvent;
import dev.kiln.worker.app.Assignment;
import dev.kiln.worker.app.BuildRunner;
import dev.kiln.worker.domain.StopReason;
import java.util.List;

/**
 * Reads {@code kiln.build.commands.v1}, where every worker sees every command, and hands the
 * commands addressed to this worker to its {@link BuildRunner}. A failure to publish an acceptance
 * fails the batch, so it is read again; the runner ignores the commands it already handled.
 */
public final class CommandConsumer {
  private final String workerId;
  private final BuildRunner runner;

  public CommandConsumer(String workerId, BuildRunner runner) {
    this.workerId = workerId;
    this.runner = runner;
  }

  /** Handles one polled batch. */
  public void handle(List<ReceivedEvent> batch) {
    for (ReceivedEvent received : batch) {
      String buildId = received.envelope().buildId();
      switch (received.envelope().payload()) {
        case BuildAssigned assigned when assigned.workerId().equals(workerId) ->
            runner.assigned(Assignment.of(buildId, assigned));
        case CancelBuild cancel when cancel.workerId().equals(workerId) ->
            runner.cancel(buildId, cancel.attempt(), StopReason.of(cancel.reason()));
        default -> {
          // Addressed to another worker, or not a command for workers.
        }
      }
    }
  }
}
