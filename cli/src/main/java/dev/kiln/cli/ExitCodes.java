package dev.kiln.cli;

/** What the {@code kiln} command's exit status means. */
final class ExitCodes {
  /** Done; for {@code kiln build}, the build succeeded. */
  static final int OK = 0;

  /** The build ended without succeeding (failed, cancelled, timed out, …). */
  static final int BUILD_DID_NOT_SUCCEED = 1;

  /** The command line was wrong; nothing was sent. */
  static final int USAGE = 2;

  /** The server refused the request or could not be reached. */
  static final int SERVER = 3;

  /** Interrupted with Ctrl-C. */
  static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
