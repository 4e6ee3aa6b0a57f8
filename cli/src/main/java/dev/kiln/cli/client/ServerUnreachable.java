package dev.kiln.cli.client;

import java.net.URI;

/** No answer from the server: it is not running, or not at that address. */
public final class ServerUnreachable extends RuntimeException {
  public ServerUnreachable(URI server, Throwable cause) {
    super(
        "cannot reach the Kiln server at "
            + server
            + " ("
            + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
            + "); is it running? (./kiln up starts one; --server or KILN_SERVER names another)",
        cause);
  }
}
