package dev.kiln.gateway.app;

import dev.kiln.contracts.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A request body saved to a temporary file, with the digest and size of its bytes. Closing it
 * deletes the file unless a store moved it away.
 */
public record ReceivedUpload(Path file, Digest digest, long size) implements AutoCloseable {
  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
