package dev.kiln.scheduler.adapter.timer;

import dev.kiln.scheduler.app.Assigner;
import dev.kiln.scheduler.app.BuildWatchdog;
import dev.kiln.scheduler.config.SchedulerSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The scheduler's own threads. Assignment runs on a thread of its own, woken after every applied
 * batch of events ({@link #assignSoon()}) and at least every {@code assign-interval}: a build can
 * become assignable without an event reaching this instance (another instance consumed the
 * heartbeat or the report that freed a slot), or when time alone changes a placement (a build's
 * wait for its preferred worker ends). Off the consumer's thread, a round runs while the next batch
 * is applied, and wake-ups that arrive during a round make one more round, not one each. The
 * watchdog runs on a timer. Plain threads rather than {@code @Scheduled}, whose simple scheduler
 * does not run jobs more often than once a second.
 */
@Singleton
public class SchedulerTimers {
  private static final Logger LOG = Logger.getLogger(SchedulerTimers.class);

  private final Assigner assigner;
  private final BuildWatchdog watchdog;
  private final SchedulerSettings settings;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("scheduler-watchdog").factory());
  private final Semaphore wakeUps = new Semaphore(0);
  private final Thread assignments =
      Thread.ofPlatform().daemon().name("scheduler-assigner").unstarted(this::assignUntilStopped);
  private volatile boolean running = true;

  public SchedulerTimers(Assigner assigner, BuildWatchdog watchdog, SchedulerSettings settings) {
    this.assigner = assigner;
    this.watchdog = watchdog;
    this.settings = settings;
  }

  void start(@Observes StartupEvent event) {
    assignments.start();
    every(
        settings.watchInterval(),
        "looking for overdue builds",
        () -> {
          if (watchdog.watch() > 0) {
            assignSoon();
          }
        });
  }

  /** Asks for an assignment round as soon as the one running, if any, ends. */
  public void assignSoon() {
    wakeUps.release();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    wakeUps.release();
    assignments.join(10_000);
    timers.shutdownNow();
    timers.awaitTermination(10, TimeUnit.SECONDS);
  }

  private void assignUntilStopped() {
    while (running) {
      try {
        wakeUps.tryAcquire(settings.assignInterval().toMillis(), TimeUnit.MILLISECONDS);
        wakeUps.drainPermits();
        if (running) {
          assigner.assignQueued();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // The next wake-up or interval tries again.
        LOG.warnf("assignment failed, trying again: %s", e.getMessage());
        sleep(settings.assignInterval());
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code task} with {@code interval} between the end of one run and the next. */
  private void every(Duration interval, String name, Runnable task) {
    timers.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            // An exception escaping would cancel all later runs; the next run tries again.
            LOG.warnf("%s failed, trying again in %s: %s", name, interval, e.getMessage());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }
}
