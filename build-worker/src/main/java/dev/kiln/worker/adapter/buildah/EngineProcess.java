package dev.kiln.worker.adapter.buildah;

import dev.kiln.contracts.events.LogStream;
import dev.kiln.worker.app.Cancellation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/** Runs buildah and skopeo processes: line by line into a build log, or captured whole. */
final class EngineProcess {
  private static final Logger LOG = Logger.getLogger(EngineProcess.class);
  private static final Duration DRAIN = Duration.ofSeconds(10);

  /**
   * What a short command printed.
   *
   * @param exitCode its exit code
   * @param stdout its standard output
   * @param stderr its standard error
   */
  record Captured(int exitCode, String stdout, String stderr) {}

  private final Map<String, String> environment;
  private final Duration cancelGrace;

  EngineProcess(Map<String, String> environment, Duration cancelGrace) {
    this.environment = Map.copyOf(environment);
    this.cancelGrace = cancelGrace;
  }

  /**
   * Runs a command until it exits or the cancellation stops it, handing each line of standard
   * output and standard error to {@code lines} as it comes, from two reader threads.
   *
   * @return the exit code
   */
  int run(
      List<String> command,
      Path directory,
      int lineBytesToKeep,
      BiConsumer<LogStream, String> lines,
      Cancellation cancellation)
      throws IOException, InterruptedException {
    Process process = start(command, directory);
    process.getOutputStream().close();
    try (Cancellation.Registration stop =
        cancellation.onStop(() -> ProcessTree.terminate(process.toHandle(), cancelGrace))) {
      Thread stdout =
          reader(process.getInputStream(), LogStream.STDOUT, lineBytesToKeep, lines, command);
      Thread stderr =
          reader(process.getErrorStream(), LogStream.STDERR, lineBytesToKeep, lines, command);
      int exitCode = process.waitFor();
      // A process that escaped the tree may hold the pipes open; its lines are not worth a hang.
      stdout.join(DRAIN);
      stderr.join(DRAIN);
      return exitCode;
    } finally {
      if (process.isAlive()) {
        ProcessTree.terminate(process.toHandle(), Duration.ZERO);
      }
    }
  }

  /** Runs a short command and keeps all it prints; stops it after {@code timeout}. */
  Captured capture(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Process process = start(command, null);
    process.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread stdout = collector(process.getInputStream(), out, command);
    Thread stderr = collector(process.getErrorStream(), err, command);
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      ProcessTree.terminate(process.toHandle(), Duration.ZERO);
      throw new IOException(command.getFirst() + " did not finish within " + timeout);
    }
    stdout.join(DRAIN);
    stderr.join(DRAIN);
    synchronized (out) {
      synchronized (err) {
        return new Captured(
            process.exitValue(),
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8));
      }
    }
  }

  private Process start(List<String> command, Path directory) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    return builder.start();
  }

  private static Thread collector(
      InputStream in, ByteArrayOutputStream sink, List<String> command) {
    return Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              byte[] buffer = new byte[8192];
              try (in) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                  synchronized (sink) {
                    sink.write(buffer, 0, read);
                  }
                }
              } catch (IOException e) {
                LOG.debugf("reading the output of %s: %s", command.getFirst(), e.getMessage());
              }
            });
  }

  private static Thread reader(
      InputStream in,
      LogStream stream,
      int lineBytesToKeep,
      BiConsumer<LogStream, String> lines,
      List<String> command) {
    return Thread.ofPlatform()
        .daemon()
        .name(command.getFirst() + "-" + stream.name().toLowerCase(Locale.ROOT))
        .start(
            () -> {
              try (in) {
                LineSplitter.split(in, lineBytesToKeep, text -> handOn(lines, stream, text));
              } catch (IOException e) {
                LOG.debugf("reading %s of %s: %s", stream, command.getFirst(), e.getMessage());
              }
            });
  }

  /** Hands on one line; the reader must go on draining the pipe whatever the consumer does. */
  private static void handOn(BiConsumer<LogStream, String> lines, LogStream stream, String text) {
    try {
      lines.accept(stream, text);
    } catch (RuntimeException e) {
      LOG.warnf(e, "a %s line was lost", stream);
    }
  }
}
