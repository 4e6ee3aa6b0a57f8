package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** The kinds of build failure Kiln tells apart. */
public enum ErrorCategory {
  DOCKERFILE_SYNTAX,
  BASE_IMAGE_NOT_FOUND,
  COPY_SOURCE_MISSING,
  RUN_FAILED,
  OOM,
  TIMEOUT,
  CANCELLED,
  PUSH_FAILED,
  REGISTRY_AUTH,
  NETWORK,
  DISK_FULL,
  SOURCE_FETCH_FAILED,
  PLATFORM_UNSUPPORTED,
  /**
   * The build would use an image the farm's allowlist refuses (the worker's {@code
   * kiln.worker.allowed-base-images}); nothing was built.
   */
  POLICY_DENIED,
  /** The worker running it was lost too many times. */
  WORKER_LOST,
  /** It waited in the queue too long. */
  QUEUE_EXPIRED,
  /** Kiln itself failed. */
  INTERNAL,
  /** A category this reader does not know yet, or none fits. */
  @JsonEnumDefaultValue
  UNKNOWN
}
