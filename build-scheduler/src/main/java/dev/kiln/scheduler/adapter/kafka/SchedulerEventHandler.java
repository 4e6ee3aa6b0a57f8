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
import dev.kiln.scheduler.adapter.timer.SchedulerTimers;
import dev.kiln.scheduler.app.BuildIntake;
import dev.kiln.scheduler.app.ReportIntake;
import dev.kiln.scheduler.app.Transactor;
import dev.kiln.scheduler.app.Transitions;
import dev.kiln.scheduler.app.WorkerRegistry;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies one polled batch of requests, reports and heartbeats in one transaction, then asks for an
 * assignment round. A redelivered event is dropped by the inbox. An event that breaks a rule of the
 * build's state machine is logged and skipped on its own, so it cannot block the events behind it;
 * a database failure fails the whole batch, which is then read again.
 *
 * <p>Batches are applied first without a savepoint per event, since rule breaks are rare and each
 * savepoint costs two round trips to the database; only a batch that breaks a rule is applied again
 * with one savepoint per event. Of several heartbeats of one worker in a batch only the newest is
 * applied: it says all the older ones said.
 */
@Singleton
public class SchedulerEventHandler implements EventConsumer.BatchHandler {
  private static final Logger LOG = Logger.getLogger(SchedulerEventHandler.class);

  private final Transactor transactor;
  private final Transitions transitions;
  private final Inbox inbox;
  private final BuildIntake intake;
  private final ReportIntake reports;
  private final WorkerRegistry registry;
  private final SchedulerTimers timers;

  public SchedulerEventHandler(
      Transactor transactor,
      Transitions transitions,
      Inbox inbox,
      BuildIntake intake,
      ReportIntake reports,
      WorkerRegistry registry,
      SchedulerTimers timers) {
    this.transactor = transactor;
    this.transitions = transitions;
    this.inbox = inbox;
    this.intake = intake;
    this.reports = reports;
    this.registry = registry;
    this.timers = timers;
  }

  @Override
  public void handle(List<ReceivedEvent> events) {
    List<Envelope> batch = withoutOverheardHeartbeats(events);
    try {
      transactor.inTransaction(
          connection -> {
            Set<UUID> first =
                inbox.firstDeliveries(
                    connection,
                    batch.stream()
                        .filter(e -> !(e.payload() instanceof WorkerHeartbeat))
                        .map(Envelope::eventId)
                        .toList());
            // Removed as applied: a repeat of an event within the batch is dropped too.
            for (Envelope envelope : batch) {
              if (envelope.payload() instanceof WorkerHeartbeat heartbeat) {
                registry.heartbeat(connection, heartbeat, envelope.occurredAt());
              } else if (first.remove(envelope.eventId())) {
                dispatch(connection, envelope);
              }
            }
            return null;
          });
    } catch (IllegalTransitionException | IllegalArgumentException ruleBroken) {
      transactor.inTransaction(
          connection -> {
            for (Envelope envelope : batch) {
              applyAlone(connection, envelope);
            }
            return null;
          });
    }
    timers.assignSoon();
  }

  /** The batch in order, without heartbeats that a newer one of the same worker in it replaces. */
  private static List<Envelope> withoutOverheardHeartbeats(List<ReceivedEvent> events) {
    Map<String, Envelope> newest = new HashMap<>();
    for (ReceivedEvent event : events) {
      if (event.envelope().payload() instanceof WorkerHeartbeat heartbeat) {
        newest.merge(
            heartbeat.workerId(),
            event.envelope(),
            (a, b) -> b.occurredAt().isBefore(a.occurredAt()) ? a : b);
      }
    }
    List<Envelope> kept = new ArrayList<>(events.size());
    for (ReceivedEvent event : events) {
      Envelope envelope = event.envelope();
      if (!(envelope.payload() instanceof WorkerHeartbeat heartbeat)
          || newest.get(heartbeat.workerId()) == envelope) {
        kept.add(envelope);
      }
    }
    return kept;
  }

  /** Applies an event in a savepoint of its own, skipping it when it breaks a rule. */
  private void applyAlone(Connection connection, Envelope envelope) throws SQLException {
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
      // Inside the savepoint, so that rolling it back also takes back what the event wrote.
      transitions.flush(connection);
      connection.releaseSavepoint(beforeEvent);
    } catch (IllegalTransitionException | IllegalArgumentException e) {
      transitions.discard(connection);
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
