package dev.kiln.logs.app;

/** The log store could not be read or written. */
public class LogStoreException extends RuntimeException {
  public LogStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
