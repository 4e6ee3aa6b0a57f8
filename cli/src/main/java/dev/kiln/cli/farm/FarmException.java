package dev.kiln.cli.farm;

/** The farm cannot start, with a message that says what to do about it. */
public final class FarmException extends Exception {
  public FarmException(String message) {
    super(message);
  }

  public FarmException(String message, Throwable cause) {
    super(message, cause);
  }
}
