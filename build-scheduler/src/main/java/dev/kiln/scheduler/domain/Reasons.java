package dev.kiln.scheduler.domain;

/** The words a status change gives as its reason, when no outcome or error category names it. */
public final class Reasons {
  /** The build entered the queue. */
  public static final String SUBMITTED = "SUBMITTED";

  /** A worker was chosen. */
  public static final String ASSIGNED = "ASSIGNED";

  /** The worker started it. */
  public static final String STARTED = "STARTED";

  /** Its worker was lost; the build goes back to the queue or, out of attempts, to ERROR. */
  public static final String WORKER_LOST = "WORKER_LOST";

  /** It ran past its {@code timeoutSeconds} and was stopped. */
  public static final String TIMEOUT = "TIMEOUT";

  /** It waited in the queue longer than the queue's time to live. */
  public static final String QUEUE_EXPIRED = "QUEUE_EXPIRED";

  /** Someone cancelled it. */
  public static final String CANCELLED_BY_USER = "CANCELLED_BY_USER";

  private Reasons() {}
}
