package dev.kiln.dockerfile;

import java.util.List;

/** The command of a RUN, CMD, ENTRYPOINT or HEALTHCHECK: a shell line or an exec array. */
public sealed interface Command {
  /**
   * The shell form: run by the stage's shell ({@code /bin/sh -c} unless SHELL changed it).
   *
   * @param script the command line as written, continuation lines joined
   */
  record ShellForm(String script) implements Command {}

  /**
   * The exec (JSON) form: run directly, without a shell.
   *
   * @param arguments the program and its arguments
   */
  record ExecForm(List<String> arguments) implements Command {
    public ExecForm {
      arguments = List.copyOf(arguments);
    }
  }
}
