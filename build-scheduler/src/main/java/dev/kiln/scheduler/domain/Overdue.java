package dev.kiln.scheduler.domain;

import java.time.Duration;

/** Something a build waits for that did not happen in time, as {@link Deadlines} finds it. */
public sealed interface Overdue {
  /**
   * The worker of its current attempt is lost.
   *
   * @param cause how the loss showed
   */
  record WorkerLost(LossCause cause) implements Overdue {}

  /**
   * Its worker was told to stop it and did not confirm within the cancel grace.
   *
   * @param grace the cancel grace
   */
  record StopUnconfirmed(Duration grace) implements Overdue {}

  /**
   * It has run longer than its {@code timeoutSeconds} allow and was not told to stop yet.
   *
   * @param timeout the limit it passed
   */
  record PastTimeout(Duration timeout) implements Overdue {}

  /**
   * It waited in the queue longer than the queue's time to live.
   *
   * @param ttl the queue's time to live
   */
  record QueueExpired(Duration ttl) implements Overdue {}
}
