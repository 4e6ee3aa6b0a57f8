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
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The clock's part. Assignment also runs on a timer because a build can become assignable without
 * an event reaching this instance (another instance consumed the heartbeat or the report that freed
 * a slot), or when time alone changes a placement (a build's wait for its preferred worker ends);
 * the watchdog runs only on a timer. A plain executor rather than {@code @Scheduled}, whose simple
 * scheduler does not run jobs more often than once a second.
 */
@Singleton
public class SchedulerTimers {
  private static final Logger LOG = Logger.getLogger(SchedulerTimers.class);

  private final Assigner assigner;
  private final BuildWatchdog watchdog;
  private final SchedulerSettings settings;
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2, Thread.ofPlatform().daemon().name("scheduler-timer-", 1).factory());

  public SchedulerTimers(Assigner assigner, BuildWatchdog watchdog, SchedulerSettings settings) {
    this.assigner = assigner;
    this.watchdog = watchdog;
    this.settings = settings;
  }

  void start(@Observes StartupEvent event) {
    every(settings.assignInterval(), "assignment", assigner::assignQueued);
    every(
        settings.watchInterval(),
        "looking for overdue builds",
        () -> {
          if (watchdog.watch() > 0) {
            assigner.assignQueued();
          }
        });
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    timers.shutdownNow();
    timers.awaitTermination(10, TimeUnit.SECONDS);
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
