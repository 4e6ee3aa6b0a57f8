package dev.kiln.scheduler.adapter.kafka;

import dev.kiln.contracts.IllegalTransitionException;
import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.CancelAcknowledged;
import dev.kiln.contracts.events.CancelRequested;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.WorkerHeartbeat;
import dev.kiln.messaging.EventConsumer;
import dev.kiln.messaging.Inbox;
import dev.kiln.messaging.ReceivedEvent;
import dev.kiln.scheduler.app.Assigner;
import dev.kiln.scheduler.app.BuildIntake;
import dev.kiln.scheduler.app.ReportIntake;
import dev.kiln.scheduler.app.StoreUnavailableException;
import dev.kiln.scheduler.app.Transactor;
import dev.kiln.scheduler.app.WorkerRegistry;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Applies one polled batch of requests, reports and heartbeats in one transaction, then assigns
 * what became assignable. A redelivered event is dropped by the inbox. An event that breaks a rule
 * of the build's state machine is logged and skipped on its own, so it cannot block the events
 * behind it; a database failure fails the whole batch, which is then read again.
 */
@Singleton
public class SchedulerEventHandler implements EventConsumer.BatchHandler {
  private static final Logger LOG = Logger.getLogger(SchedulerEventHandler.class);

  private final Transactor transactor;
  private final Inbox inbox;
  private final BuildIntake intake;
  private final ReportIntake reports;
  private final WorkerRegistry registry;
  private final Assigner assigner;

  public SchedulerEventHandler(
      Transactor transactor,
      Inbox inbox,
      BuildIntake intake,
      ReportIntake reports,
      WorkerRegistry registry,
      Assigner assigner) {
    this.transactor = transactor;
    this.inbox = inbox;
    this.intake = intake;
    this.reports = reports;
    this.registry = registry;
    this.assigner = assigner;
  }

  @Override
  public void handle(List<ReceivedEvent> events) {
    transactor.inTransaction(
        connection -> {
          for (ReceivedEvent event : events) {
            apply(connection, event.envelope());
          }
          return null;
        });
    try {
      assigner.assignQueued();
    } catch (StoreUnavailableException e) {
      // The batch is stored; the assignment timer tries again.
      LOG.warnf("assignment after a batch failed: %s", e.getMessage());
    }
  }

  private void apply(Connection connection, Envelope envelope) throws SQLException {
    if (envelope.payload() instanceof WorkerHeartbeat heartbeat) {
      registry.heartbeat(connection, heartbeat, envelope.occurredAt());
      return;
    }
    Savepoint beforeEvent = connection.setSavepoint();
    if (!inbox.firstDelivery(connection, envelope.eventId())) {
      connection.releaseSavepoint(beforeEvent);
      return;
    }
    try {
      dispatch(connection, envelope);
      connection.releaseSavepoint(beforeEvent);
    } catch (IllegalTransitionException | IllegalArgumentException e) {
      connection.rollback(beforeEvent);
      inbox.firstDelivery(connection, envelope.eventId());
      LOG.errorf(
          "%s %s for build %s skipped: %s",
          envelope.type(), envelope.eventId(), envelope.buildId(), e.getMessage());
    }
  }

  private void dispatch(Connection connection, Envelope envelope) throws SQLException {
    String buildId = envelope.buildId();
    switch (envelope.payload()) {
      case BuildRequested request ->
          intake.requested(connection, buildId, request, envelope.occurredAt());
      case CancelRequested request -> intake.cancelRequested(connection, buildId, request);
      case BuildAccepted report -> reports.accepted(connection, buildId, report);
      case BuildFinished report -> reports.finished(connection, buildId, report);
      case CancelAcknowledged report -> reports.cancelAcknowledged(connection, buildId, report);
      default -> LOG.debugf("%s on a scheduler topic is not for the scheduler", envelope.type());
    }
  }
}
