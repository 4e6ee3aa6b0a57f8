package dev.kiln.cli.farm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One component of the farm running as a child process, with its output in {@code logs/<name>.log}
 * and its pid in {@code run/<name>.pid}.
 */
final class ManagedProcess {
  private final String name;
  private final Process process;
  private final Path pidFile;
  private final Path logFile;

  private ManagedProcess(String name, Process process, Path pidFile, Path logFile) {
    this.name = name;
    this.process = process;
    this.pidFile = pidFile;
    this.logFile = logFile;
  }

  static ManagedProcess start(
      String name, List<String> command, Map<String, String> environment, FarmSettings settings)
      throws FarmException {
    Path logFile = settings.logs().resolve(name + ".log");
    Path pidFile = settings.run().resolve(name + ".pid");
    ProcessBuilder builder =
        new ProcessBuilder(inOwnSession(command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      Files.writeString(pidFile, process.pid() + "\n");
      return new ManagedProcess(name, process, pidFile, logFile);
    } catch (IOException e) {
      throw new FarmException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts the command in a session of its own when {@code setsid} is installed, so that a Ctrl-C
   * in the terminal reaches only the farm, which then stops its components in order.
   */
  private static List<String> inOwnSession(List<String> command) {
    return Executables.find("setsid")
        .map(setsid -> Stream.concat(Stream.of(setsid.toString()), command.stream()).toList())
        .orElse(command);
  }

  String name() {
    return name;
  }

  Process process() {
    return process;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines this process wrote, to show why it failed. */
  String tail(int lines) {
    try {
      Deque<String> last = new ArrayDeque<>();
      for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
        if (last.size() == lines) {
          last.removeFirst();
        }
        last.addLast(line);
      }
      return String.join(System.lineSeparator(), last);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path logFile() {
    return logFile;
  }

  /** Asks the process to stop (SIGTERM), then kills what is left of its tree after the grace. */
  void stop(Duration grace) {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // A stale pid file is cleaned up by the next start.
    }
  }
}
