package dev.kiln.cli;

import dev.kiln.cli.client.KilnClient;
import dev.kiln.cli.progress.Progress;
import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during {@code kiln build}: at a terminal it asks whether to cancel the build and cancels
 * it on yes (a second Ctrl-C at the question leaves the build running and exits); without a
 * terminal, as in CI, it cancels the build. Either way the CLI follows the build to its end.
 */
final class Interruption {
  private static final Signal INT = new Signal("INT");

  private final KilnClient client;
  private final String buildId;
  private final PrintStream err;
  private volatile boolean asking;
  private volatile boolean cancelled;
  private SignalHandler previous;

  Interruption(KilnClient client, String buildId, PrintStream err) {
    this.client = client;
    this.buildId = buildId;
    this.err = err;
  }

  void install(Progress view) {
    previous = Signal.handle(INT, signal -> onInterrupt(view));
  }

  void uninstall() {
    if (previous != null) {
      Signal.handle(INT, previous);
    }
  }

  /** Whether Ctrl-C cancelled the build. */
  boolean cancelled() {
    return cancelled;
  }

  private void onInterrupt(Progress view) {
    if (asking || cancelled) {
      err.println();
      err.println("The build goes on; follow it with: kiln logs -f " + buildId);
      Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
    }
    Console console = System.console();
    if (!Terminal.isInteractive()) {
      cancel(view);
      return;
    }
    asking = true;
    view.pause();
    String answer = console.readLine("%nCancel build %s? [y/N] ", buildId);
    view.resume();
    asking = false;
    if (answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
      cancel(view);
    } else {
      view.note("not cancelled; the build goes on");
    }
  }

  private void cancel(Progress view) {
    cancelled = true;
    client.post("/api/v1/builds/" + buildId + "/cancel", null);
    view.note("cancelling build " + buildId);
  }
}
