package dev.kiln.worker.app;

/** A build's sources could not be fetched or unpacked; the message says why, for the build log. */
public final class SourceFetchException extends Exception {
  private static final String DEFAULT_SUGGESTION =
      "Upload the context again and submit the build with its new digest.";
  private final String suggestion;

  public SourceFetchException(String message) {
    this(message, DEFAULT_SUGGESTION, null);
  }

  public SourceFetchException(String message, Throwable cause) {
    this(message, DEFAULT_SUGGESTION, cause);
  }

  public SourceFetchException(String message, String suggestion, Throwable cause) {
    super(message, cause);
    this.suggestion = suggestion;
  }

  /** One thing the submitter can try. */
  public String suggestion() {
    return suggestion;
  }
}
