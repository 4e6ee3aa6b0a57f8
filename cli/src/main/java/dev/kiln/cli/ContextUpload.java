package dev.kiln.cli;

import dev.kiln.cli.client.KilnClient;
import dev.kiln.context.ContextWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends a local context to the server as a tar made on the fly, with a progress bar on a terminal
 * for contexts large enough to wait for.
 */
final class ContextUpload {
  private static final long BAR_FROM_BYTES = 4L * 1024 * 1024;

  private final KilnClient client;
  private final PrintStream err;
  private final boolean terminal;

  ContextUpload(KilnClient client, PrintStream err, boolean terminal) {
    this.client = client;
    this.err = err;
    this.terminal = terminal;
  }

  /** Uploads the context as a tar; returns its digest. */
  String upload(BuildCommand.LocalContext context) throws IOException, InterruptedException {
    PipedInputStream in = new PipedInputStream(1 << 20);
    PipedOutputStream out = new PipedOutputStream(in);
    AtomicLong written = new AtomicLong();
    AtomicReference<IOException> failure = new AtomicReference<>();
    Thread writer =
        Thread.ofPlatform()
            .name("context-tar")
            .start(
                () -> {
                  try (OutputStream counted = new Counting(out, written)) {
                    ContextWriter.write(context.root(), context.keptDockerfile(), counted);
                  } catch (IOException e) {
                    failure.set(e);
                  }
                });
    boolean bar = terminal && context.contentBytes() >= BAR_FROM_BYTES;
    Thread progress = bar ? startBar(context.contentBytes(), written) : null;
    try {
      String digest = client.uploadContext(() -> in).get("digest").asText();
      writer.join();
      if (failure.get() != null) {
        throw new UncheckedIOException("reading the context failed", failure.get());
      }
      return digest;
    } finally {
      // Closing the reading end also stops the writer when the server refused the upload.
      in.close();
      if (progress != null) {
        progress.interrupt();
        progress.join();
        drawBar(written.get(), context.contentBytes());
        err.println();
      }
    }
  }

  private Thread startBar(long total, AtomicLong written) {
    return Thread.ofPlatform()
        .daemon()
        .name("upload-progress")
        .start(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                drawBar(written.get(), total);
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  private void drawBar(long done, long total) {
    int width = 30;
    int filled = total == 0 ? width : (int) (width * Math.min(1.0, (double) done / total));
    err.print(
        String.format(
            Locale.ROOT,
            "\rUploading context %s / %s [%s%s] %3d%%",
            mib(done),
            mib(total),
            "=".repeat(filled),
            " ".repeat(width - filled),
            total == 0 ? 100 : done * 100 / total));
    err.flush();
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** Counts the bytes of the tar as they are written, for the progress bar. */
  private static final class Counting extends FilterOutputStream {
    private final AtomicLong written;

    Counting(OutputStream out, AtomicLong written) {
      super(out);
      this.written = written;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      written.addAndGet(length);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      written.incrementAndGet();
    }
  }
}
