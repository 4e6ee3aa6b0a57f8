package dev.kiln.gateway.app;

import dev.kiln.contracts.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Saves a request body to a temporary file while it arrives, hashing and counting its bytes, so no
 * upload is ever held in memory and an oversized one is cut off at the limit.
 */
@ApplicationScoped
public class UploadReceiver {
  private static final int CHUNK = 64 * 1024;

  private final DataDirectory data;

  public UploadReceiver(DataDirectory data) {
    this.data = data;
  }

  /**
   * Reads {@code body} to its end.
   *
   * @param what names the upload in errors, such as {@code the context}
   * @throws Failures.UploadTooLarge once more than {@code limit} bytes arrived; nothing is kept
   * @throws Failures.UploadInterrupted when the body ends early; nothing is kept
   * @throws Failures.StorageUnavailable when the data directory cannot be written
   */
  public ReceivedUpload receive(InputStream body, long limit, String what) {
    Path file;
    try {
      file = Files.createTempFile(data.uploads(), "upload-", ".part");
    } catch (IOException e) {
      throw new Failures.StorageUnavailable("cannot write to the data directory", e);
    }
    try {
      MessageDigest sha256 = sha256();
      long size = 0;
      byte[] chunk = new byte[CHUNK];
      try (OutputStream out = Files.newOutputStream(file)) {
        for (int n = read(body, chunk); n >= 0; n = read(body, chunk)) {
          size += n;
          if (size > limit) {
            throw new Failures.UploadTooLarge(what, limit);
          }
          sha256.update(chunk, 0, n);
          out.write(chunk, 0, n);
        }
      } catch (IOException e) {
        throw new Failures.StorageUnavailable("cannot write to the data directory", e);
      }
      return new ReceivedUpload(file, Digest.sha256(sha256.digest()), size);
    } catch (RuntimeException e) {
      deleteQuietly(file, e);
      throw e;
    }
  }

  private static int read(InputStream body, byte[] chunk) {
    try {
      return body.read(chunk);
    } catch (IOException e) {
      throw new Failures.UploadInterrupted(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void deleteQuietly(Path file, RuntimeException failure) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
