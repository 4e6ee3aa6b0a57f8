package dev.kiln.gateway.app;

import dev.kiln.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;

/** Keeps the OCI archive of a build that did not push, and hands it out for download. */
@ApplicationScoped
public class ImageArchiveService {
  private final UploadReceiver receiver;
  private final ImageArchiveStore archives;
  private final BuildService builds;
  private final long maxSize;

  public ImageArchiveService(
      UploadReceiver receiver,
      ImageArchiveStore archives,
      BuildService builds,
      GatewayConfig config) {
    this.receiver = receiver;
    this.archives = archives;
    this.builds = builds;
    this.maxSize = config.imageMaxSize().asLongValue();
  }

  /** The largest archive accepted, in bytes. */
  public long maxSize() {
    return maxSize;
  }

  /** Receives the archive of a known build, replacing an earlier one. */
  public ImageArchiveStore.StoredArchive upload(String buildId, InputStream body) {
    builds.get(buildId);
    try (ReceivedUpload upload = receiver.receive(body, maxSize, "the image archive")) {
      archives.keep(buildId, upload);
    }
    return find(buildId);
  }

  /** The archive of a build, for download. */
  public ImageArchiveStore.StoredArchive find(String buildId) {
    builds.get(buildId);
    return archives
        .find(buildId)
        .orElseThrow(
            () ->
                new Failures.NothingStored(
                    "build "
                        + buildId
                        + " has no image archive: it pushed its image, or has not finished"));
  }
}
