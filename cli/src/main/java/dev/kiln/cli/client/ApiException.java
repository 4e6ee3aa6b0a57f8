package dev.kiln.cli.client;

/**
 * The server refused a call, with its JSON error.
 *
 * @see KilnClient
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String error;
  private final String field;

  public ApiException(int status, String error, String message, String field) {
    super(message);
    this.status = status;
    this.error = error;
    this.field = field;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String field() {
    return field;
  }

  /** One line for a person: the message, and the field it names when there is one. */
  public String describe() {
    String where = field == null ? "" : " (" + field + ")";
    String hint =
        status == 401
            ? "; give a token with --token, KILN_TOKEN or the config file (kiln up writes one)"
            : "";
    return getMessage() + where + hint;
  }
}
