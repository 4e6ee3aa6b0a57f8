package dev.kiln.gateway.domain;

/** An uploaded build context that is not a tar archive, or that would write outside itself. */
public final class InvalidContextException extends Exception {
  private final String entry;

  public InvalidContextException(String message, String entry) {
    super(message);
    this.entry = entry;
  }

  /** The offending entry's name, or {@code null} when the archive as a whole is broken. */
  public String entry() {
    return entry;
  }
}
