package dev.kiln.cli;

/** The command line asks for something that cannot be done; nothing was sent to the server. */
final class UsageProblem extends RuntimeException {
  UsageProblem(String message) {
    super(message);
  }
}
