package dev.kiln.cli;

import java.io.Console;
import java.lang.reflect.InvocationTargetException;

/** What the CLI knows about the terminal it prints to. */
final class Terminal {
  private Terminal() {}

  /** Whether a person is at a terminal: standard input and output are both one. */
  static boolean isInteractive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    // From Java 22 a console may exist without a terminal; Console.isTerminal() tells, and Kiln
    // is built for Java 21, which lacks it (there, a console means a terminal).
    try {
      return (boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (IllegalAccessException | InvocationTargetException e) {
      return false;
    }
  }

  /** The terminal's width, from {@code $COLUMNS} when the shell exports it. */
  static int columns() {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
