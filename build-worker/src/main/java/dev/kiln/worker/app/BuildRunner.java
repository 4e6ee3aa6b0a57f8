package dev.kiln.worker.app;

import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.CancelAcknowledged;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.worker.domain.StopReason;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Runs the builds assigned to this worker in its slots: accepts an assignment when a slot is free,
 * keeps it waiting in arrival order when none is, and stops attempts on request. Each running
 * attempt has a thread of its own.
 */
public final class BuildRunner {
  private static final Logger LOG = Logger.getLogger(BuildRunner.class);
  private static final int REMEMBERED = 1000;

  /**
   * What the worker is doing now, for heartbeats and health.
   *
   * @param slotsFree how many more attempts it can take
   * @param running the attempts it runs
   * @param stopping whether it takes no more
   */
  public record Status(int slotsFree, List<RunningAttempt> running, boolean stopping) {}

  private final String workerId;
  private final int slots;
  private final EventSink events;
  private final Function<Assignment, BuildExecution> executions;
  private final Duration reportTimeout;
  private final Clock clock;
  private final Runnable onChange;
  private final Map<RunningAttempt, BuildExecution> running = new LinkedHashMap<>();
  private final Deque<Assignment> waiting = new ArrayDeque<>();
  private final Map<RunningAttempt, Boolean> finished =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RunningAttempt, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };
  private boolean stopping;

  /**
   * @param executions makes the execution of an assignment
   * @param onChange called after an attempt starts or ends, so a heartbeat can tell at once
   */
  public BuildRunner(
      String workerId,
      int slots,
      EventSink events,
      Function<Assignment, BuildExecution> executions,
      Duration reportTimeout,
      Clock clock,
      Runnable onChange) {
    if (slots < 1) {
      throw new IllegalArgumentException("a worker needs at least one slot");
    }
    this.workerId = workerId;
    this.slots = slots;
    this.events = events;
    this.executions = executions;
    this.reportTimeout = reportTimeout;
    this.clock = clock;
    this.onChange = onChange;
  }

  /**
   * Takes an assignment: starts it when a slot is free, or keeps it waiting. A repeat of an attempt
   * this worker has, or had, changes nothing.
   *
   * @throws EventPublishingException when its acceptance could not be stored; the attempt is then
   *     dropped, so a redelivery of the command tries again
   */
  public void assigned(Assignment assignment) {
    BuildExecution execution;
    synchronized (this) {
      RunningAttempt key = assignment.key();
      if (stopping || knows(key)) {
        return;
      }
      if (running.size() >= slots) {
        waiting.addLast(assignment);
        LOG.infof(
            "build %s attempt %d waits for a slot", assignment.buildId(), assignment.attempt());
        return;
      }
      execution = executions.apply(assignment);
      running.put(key, execution);
    }
    start(execution);
  }

  /** Stops an attempt; one that only waits is dropped and acknowledged at once. */
  public void cancel(String buildId, int attempt, StopReason reason) {
    RunningAttempt key = new RunningAttempt(buildId, attempt);
    BuildExecution execution;
    synchronized (this) {
      execution = running.get(key);
      if (execution == null) {
        waiting.removeIf(waits -> waits.key().equals(key));
      }
    }
    if (execution != null) {
      LOG.infof("build %s attempt %d: %s", buildId, attempt, reason.logLine());
      execution.stop(reason);
      return;
    }
    // Not running here (waiting, finished or never seen): nothing left to stop.
    await(events.publish(buildId, new CancelAcknowledged(workerId, attempt)));
  }

  public synchronized Status status() {
    int free = Math.max(0, slots - running.size() - waiting.size());
    return new Status(stopping ? 0 : free, List.copyOf(running.keySet()), stopping);
  }

  /** Takes no more builds and drops the waiting ones; the scheduler requeues them. */
  public synchronized void stopTaking() {
    stopping = true;
    waiting.clear();
  }

  /**
   * Stops the running attempts, which report ERROR "worker stopping" so the scheduler can move on.
   *
   * @return whether every one of them reported within {@code timeout}
   */
  public boolean stopRunning(Duration timeout) throws InterruptedException {
    List<BuildExecution> stopped;
    synchronized (this) {
      stopping = true;
      stopped = new ArrayList<>(running.values());
    }
    stopped.forEach(execution -> execution.stop(StopReason.WORKER_STOPPING));
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (!running.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
  }

  private boolean knows(RunningAttempt key) {
    return running.containsKey(key)
        || finished.containsKey(key)
        || waiting.stream().anyMatch(waits -> waits.key().equals(key));
  }

  private void start(BuildExecution execution) {
    Assignment assignment = execution.assignment();
    try {
      await(
          events.publish(assignment.buildId(), new BuildAccepted(workerId, assignment.attempt())));
    } catch (EventPublishingException e) {
      synchronized (this) {
        running.remove(assignment.key());
      }
      throw e;
    }
    LOG.infof("build %s attempt %d accepted", assignment.buildId(), assignment.attempt());
    Thread.ofPlatform()
        .name("build-" + assignment.buildId() + "-" + assignment.attempt())
        .start(() -> runToEnd(execution));
    onChange.run();
  }

  private void runToEnd(BuildExecution execution) {
    try {
      execution.run();
    } finally {
      ended(execution.assignment().key());
    }
  }

  private void ended(RunningAttempt key) {
    synchronized (this) {
      running.remove(key);
      finished.put(key, Boolean.TRUE);
      notifyAll();
    }
    onChange.run();
    startWaiting();
  }

  /** Starts waiting assignments while slots are free; those past their lease are dropped. */
  private void startWaiting() {
    while (true) {
      BuildExecution execution;
      synchronized (this) {
        if (stopping || running.size() >= slots || waiting.isEmpty()) {
          return;
        }
        Assignment next = waiting.pollFirst();
        if (next.leaseExpiresAt() != null && next.leaseExpiresAt().isBefore(clock.instant())) {
          LOG.infof(
              "build %s attempt %d: its lease ended while it waited; dropped",
              next.buildId(), next.attempt());
          continue;
        }
        execution = executions.apply(next);
        running.put(next.key(), execution);
      }
      try {
        start(execution);
      } catch (EventPublishingException e) {
        LOG.errorf(
            e,
            "build %s attempt %d: cannot accept it; the scheduler will requeue it",
            execution.assignment().buildId(),
            execution.assignment().attempt());
      }
    }
  }

  private void await(CompletableFuture<Void> stored) {
    try {
      stored.get(reportTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventPublishingException("interrupted while publishing", e);
    } catch (Exception e) {
      throw new EventPublishingException("cannot publish: " + e.getMessage(), e);
    }
  }

  /** A report the broker did not store. */
  public static final class EventPublishingException extends RuntimeException {
    public EventPublishingException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
