package dev.kiln.gateway.app.catalog;

/** The ways catalog requests fail, each with what a caller needs to act on it. */
public final class CatalogFailures {
  private CatalogFailures() {}

  /** A file was changed by someone else since the commit an update was based on. */
  public static final class Conflict extends RuntimeException {
    private final String currentCommit;

    public Conflict(String message, String currentCommit) {
      super(message);
      this.currentCommit = currentCommit;
    }

    /** The catalog's head now: base the update on it after reading the file again. */
    public String currentCommit() {
      return currentCommit;
    }
  }

  /** A custom image of that name exists already. */
  public static final class AlreadyExists extends RuntimeException {
    public AlreadyExists(String message) {
      super(message);
    }
  }

  /** The remote repository answered, but refused the push or the fetch. */
  public static final class RemoteRejected extends RuntimeException {
    public RemoteRejected(String message) {
      super(message);
    }
  }

  /** The remote repository could not be reached or signed in to. */
  public static final class RemoteUnavailable extends RuntimeException {
    public RemoteUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
