package dev.kiln.scheduler.app;

import java.sql.SQLException;

/** The database did not do what was asked: unreachable, or it refused a statement. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(SQLException cause) {
    super("database error: " + cause.getMessage(), cause);
  }
}
