package dev.kiln.cli;

import dev.kiln.cli.client.ApiException;
import dev.kiln.cli.client.ServerUnreachable;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kiln} command. */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    versionProvider = KilnVersion.class,
    description = "Kiln, a build farm for container images.",
    subcommands = {
      BuildCommand.class,
      LsCommand.class,
      StatusCommand.class,
      LogsCommand.class,
      CancelCommand.class,
      RetryCommand.class,
      TokenCommand.class,
      UpCommand.class
    })
public final class KilnCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Kiln's one-line error messages. */
  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new KilnCommand());
    line.setParameterExceptionHandler(
        (error, args) -> {
          CommandLine failing = error.getCommandLine();
          failing
              .getErr()
              .println(
                  failing.getCommandName().equals("kiln")
                      ? "kiln: " + error.getMessage() + " (see kiln --help)"
                      : "kiln "
                          + failing.getCommandName()
                          + ": "
                          + error.getMessage()
                          + " (see kiln "
                          + failing.getCommandName()
                          + " --help)");
          return ExitCodes.USAGE;
        });
    line.setExecutionExceptionHandler(
        (error, failing, parsed) -> {
          String command = "kiln " + failing.getCommandName() + ": ";
          return switch (error) {
            case UsageProblem usage -> {
              failing.getErr().println(command + usage.getMessage());
              yield ExitCodes.USAGE;
            }
            case ApiException api -> {
              failing.getErr().println(command + api.describe());
              yield ExitCodes.SERVER;
            }
            case ServerUnreachable unreachable -> {
              failing.getErr().println(command + unreachable.getMessage());
              yield ExitCodes.SERVER;
            }
            case UncheckedIOException io -> {
              failing.getErr().println(command + io.getCause().getMessage());
              yield ExitCodes.SERVER;
            }
            default -> throw error;
          };
        });
    return line;
  }
}
