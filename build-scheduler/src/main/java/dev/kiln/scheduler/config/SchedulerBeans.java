package dev.kiln.scheduler.config;

import dev.kiln.contracts.Topics;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.Inbox;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.messaging.Outbox;
import dev.kiln.messaging.OutboxRelay;
import dev.kiln.scheduler.adapter.kafka.KafkaTopicOffsets;
import dev.kiln.scheduler.adapter.kafka.SchedulerMessaging;
import dev.kiln.scheduler.adapter.persistence.AffinityRepository;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.adapter.persistence.OwnerRepository;
import dev.kiln.scheduler.adapter.persistence.TransitionRepository;
import dev.kiln.scheduler.adapter.persistence.WorkerRepository;
import dev.kiln.scheduler.app.Assigner;
import dev.kiln.scheduler.app.BuildIntake;
import dev.kiln.scheduler.app.BuildWatchdog;
import dev.kiln.scheduler.app.HeartbeatHorizon;
import dev.kiln.scheduler.app.ReportIntake;
import dev.kiln.scheduler.app.Transactor;
import dev.kiln.scheduler.app.Transitions;
import dev.kiln.scheduler.app.WorkerRegistry;
import dev.kiln.scheduler.domain.FairShare;
import dev.kiln.scheduler.domain.PlacementPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the plain classes of the scheduler together. */
@ApplicationScoped
public class SchedulerBeans {
  /** Elects one outbox relay among all scheduler instances ("kiln" and the port 8081). */
  private static final long RELAY_LOCK = 0x6b696c6e_8081L;

  /** How often the relay looks for events written by other instances. */
  private static final Duration RELAY_POLL = Duration.ofSeconds(1);

  /** How long the watchdog waits for the broker to tell where the heartbeats stand. */
  private static final Duration OFFSETS_TIMEOUT = Duration.ofSeconds(2);

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  EventPublisher publisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    return new EventPublisher(KafkaClients.producerConfig(bootstrap, "build-scheduler"));
  }

  @Produces
  @Singleton
  Outbox outbox() {
    return new Outbox("scheduler.outbox");
  }

  @Produces
  @Singleton
  Inbox inbox() {
    return new Inbox("scheduler.inbox");
  }

  @Produces
  @Singleton
  OutboxRelay relay(DataSource dataSource, Outbox outbox, EventPublisher publisher) {
    return new OutboxRelay(dataSource, outbox, RELAY_LOCK, publisher, RELAY_POLL);
  }

  @Produces
  @Singleton
  Transactor transactor(DataSource dataSource, Transitions transitions, OutboxRelay relay) {
    return new Transactor(dataSource, transitions, relay::wakeUp);
  }

  @Produces
  @Singleton
  BuildRepository builds() {
    return new BuildRepository();
  }

  @Produces
  @Singleton
  WorkerRepository workers() {
    return new WorkerRepository();
  }

  @Produces
  @Singleton
  OwnerRepository owners() {
    return new OwnerRepository();
  }

  @Produces
  @Singleton
  AffinityRepository affinity() {
    return new AffinityRepository();
  }

  @Produces
  @Singleton
  TransitionRepository history() {
    return new TransitionRepository();
  }

  @Produces
  @Singleton
  Transitions transitions(BuildRepository builds, TransitionRepository history, Outbox outbox) {
    return new Transitions(builds, history, outbox);
  }

  @Produces
  @Singleton
  BuildIntake buildIntake(BuildRepository builds, Transitions transitions, Clock clock) {
    return new BuildIntake(builds, transitions, clock);
  }

  @Produces
  @Singleton
  ReportIntake reportIntake(
      BuildRepository builds,
      AffinityRepository affinity,
      Transitions transitions,
      SchedulerSettings settings,
      Clock clock) {
    return new ReportIntake(builds, affinity, transitions, settings.lease(), clock);
  }

  @Produces
  @Singleton
  WorkerRegistry workerRegistry(
      WorkerRepository workers, BuildRepository builds, SchedulerSettings settings, Clock clock) {
    return new WorkerRegistry(workers, builds, settings.lease(), clock);
  }

  @Produces
  @Singleton
  Assigner assigner(
      Transactor transactor,
      BuildRepository builds,
      WorkerRepository workers,
      OwnerRepository owners,
      AffinityRepository affinity,
      Transitions transitions,
      SchedulerSettings settings,
      Clock clock) {
    return new Assigner(
        transactor,
        builds,
        workers,
        owners,
        affinity,
        transitions,
        new PlacementPolicy(settings.workerTimeout(), settings.affinityWait()),
        new FairShare(settings.aging()),
        settings.lease(),
        clock);
  }

  @Produces
  @Singleton
  KafkaTopicOffsets topicOffsets(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    return new KafkaTopicOffsets(
        bootstrap,
        SchedulerMessaging.GROUP,
        List.of(Topics.WORKER_HEARTBEATS, Topics.BUILD_REPORTS),
        OFFSETS_TIMEOUT);
  }

  void closeTopicOffsets(@Disposes KafkaTopicOffsets offsets) {
    offsets.close();
  }

  @Produces
  @Singleton
  HeartbeatHorizon heartbeatHorizon(
      KafkaTopicOffsets offsets, SchedulerSettings settings, Clock clock) {
    return new HeartbeatHorizon(offsets, settings.workerTimeout(), clock);
  }

  @Produces
  @Singleton
  BuildWatchdog watchdog(
      Transactor transactor,
      BuildRepository builds,
      WorkerRepository workers,
      Transitions transitions,
      HeartbeatHorizon horizon,
      SchedulerSettings settings,
      Clock clock) {
    return new BuildWatchdog(
        transactor,
        builds,
        workers,
        transitions,
        settings.workerTimeout(),
        settings.queueTtl(),
        settings.cancelGrace(),
        settings.maxAttempts(),
        horizon,
        clock);
  }
}
