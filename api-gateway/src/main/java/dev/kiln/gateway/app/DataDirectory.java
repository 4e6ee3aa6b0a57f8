package dev.kiln.gateway.app;

import dev.kiln.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The gateway's folder on disk. Uploads are written under {@code tmp} on the same file system as
 * their final place, so keeping one is an atomic rename.
 */
@ApplicationScoped
public class DataDirectory {
  private final Path uploads;
  private final Path contexts;
  private final Path images;
  private final Path catalog;

  public DataDirectory(GatewayConfig config) {
    Path root = config.dataDir().toAbsolutePath();
    this.uploads = root.resolve("tmp");
    this.contexts = root.resolve("contexts").resolve("sha256");
    this.images = root.resolve("images");
    this.catalog = root.resolve("catalog.git");
    try {
      Files.createDirectories(uploads);
      Files.createDirectories(contexts);
      Files.createDirectories(images);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + root, e);
    }
  }

  /** Uploads in progress. */
  public Path uploads() {
    return uploads;
  }

  /** Contexts, one file per sha256 hex digest. */
  public Path contexts() {
    return contexts;
  }

  /** Image archives, one file per build. */
  public Path images() {
    return images;
  }

  /** The catalog's bare git repository. */
  public Path catalog() {
    return catalog;
  }
}
