package dev.kiln.gateway.app;

/** The ways a gateway use case refuses or fails, each carrying what a caller needs to act on it. */
public final class Failures {
  private Failures() {}

  /** A request the gateway will not take as it is. */
  public static final class RequestRejected extends RuntimeException {
    private final String code;
    private final String field;

    public RequestRejected(String code, String message, String field) {
      super(message);
      this.code = code;
      this.field = field;
    }

    public String code() {
      return code;
    }

    /** The request field at fault, or {@code null} when it is the request as a whole. */
    public String field() {
      return field;
    }
  }

  /** No build has this id. */
  public static final class BuildNotFound extends RuntimeException {
    public BuildNotFound(String buildId) {
      super("no build with id '" + buildId + "'");
    }
  }

  /** Something that belongs to a build, or a context, does not exist. */
  public static final class NothingStored extends RuntimeException {
    public NothingStored(String message) {
      super(message);
    }
  }

  /** The caller's role does not allow the request. */
  public static final class Forbidden extends RuntimeException {
    public Forbidden(String message) {
      super(message);
    }
  }

  /** The build is in a state that does not allow the request. */
  public static final class BuildConflict extends RuntimeException {
    private final String code;

    public BuildConflict(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** An upload is larger than the gateway accepts there. */
  public static final class UploadTooLarge extends RuntimeException {
    public UploadTooLarge(String what, long limit) {
      super(what + " is larger than the limit of " + limit + " bytes");
    }
  }

  /** The client stopped sending before the upload was complete. */
  public static final class UploadInterrupted extends RuntimeException {
    public UploadInterrupted(Throwable cause) {
      super("the upload broke off before its end: " + cause.getMessage(), cause);
    }
  }

  /** The database or the data directory cannot be used; nothing was changed. */
  public static final class StorageUnavailable extends RuntimeException {
    public StorageUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
