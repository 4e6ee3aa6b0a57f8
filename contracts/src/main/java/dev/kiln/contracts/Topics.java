package dev.kiln.contracts;

import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.BuildAssigned;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.CancelAcknowledged;
import dev.kiln.contracts.events.CancelBuild;
import dev.kiln.contracts.events.CancelRequested;
import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.LogChunk;
import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.contracts.events.WorkerHeartbeat;
import java.util.List;

/**
 * Kafka topic names. A name carries its version: a breaking change to a record makes a new topic,
 * additive fields stay on the same one (readers ignore what they do not know).
 */
public final class Topics {
  /** BuildRequested, CancelRequested; api-gateway → build-scheduler; keyed by build id. */
  public static final String BUILD_REQUESTS = "kiln.build.requests.v1";

  /** BuildAssigned, CancelBuild; build-scheduler → build-workers; keyed by build id. */
  public static final String BUILD_COMMANDS = "kiln.build.commands.v1";

  /** BuildAccepted, BuildFinished, CancelAcknowledged; build-workers → build-scheduler. */
  public static final String BUILD_REPORTS = "kiln.build.reports.v1";

  /** BuildStatusChanged; build-scheduler → api-gateway, log-service. The truth about status. */
  public static final String BUILD_STATUS = "kiln.build.status.v1";

  /** StepStarted, StepFinished; build-workers → log-service; keyed by build id. */
  public static final String BUILD_STEPS = "kiln.build.steps.v1";

  /** LogChunk; build-workers → log-service; keyed by build id. */
  public static final String BUILD_LOGS = "kiln.build.logs.v1";

  /** WorkerHeartbeat; build-workers → build-scheduler; keyed by worker id. */
  public static final String WORKER_HEARTBEATS = "kiln.worker.heartbeats.v1";

  /** Every topic Kiln uses, for the services that create missing topics at start. */
  public static final List<String> ALL =
      List.of(
          BUILD_REQUESTS,
          BUILD_COMMANDS,
          BUILD_REPORTS,
          BUILD_STATUS,
          BUILD_STEPS,
          BUILD_LOGS,
          WORKER_HEARTBEATS);

  private Topics() {}

  /** The topic an event is published on. */
  public static String of(Event event) {
    return switch (event) {
      case BuildRequested e -> BUILD_REQUESTS;
      case CancelRequested e -> BUILD_REQUESTS;
      case BuildAssigned e -> BUILD_COMMANDS;
      case CancelBuild e -> BUILD_COMMANDS;
      case BuildAccepted e -> BUILD_REPORTS;
      case BuildFinished e -> BUILD_REPORTS;
      case CancelAcknowledged e -> BUILD_REPORTS;
      case BuildStatusChanged e -> BUILD_STATUS;
      case StepStarted e -> BUILD_STEPS;
      case StepFinished e -> BUILD_STEPS;
      case LogChunk e -> BUILD_LOGS;
      case WorkerHeartbeat e -> WORKER_HEARTBEATS;
    };
  }
}
