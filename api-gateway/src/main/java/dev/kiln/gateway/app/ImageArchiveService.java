package dev.kiln.gateway.app;

import dev.kiln.gateway.config.GatewayConfig;
import dev.kiln.gateway.domain.Caller;
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

  /** Receives the archive of a known build from a worker, replacing an earlier one. */
  public ImageArchiveStore.StoredArchive upload(String buildId, InputStream body) {
    builds.get(Caller.FARM, buildId);
    try (ReceivedUpload upload = receiver.receive(body, maxSize, "the image archive")) {
      archives.keep(buildId, upload);
    }
    return find(Caller.FARM, buildId);
  }

  /** The archive of a build the caller may see, for download. */
  public ImageArchiveStore.StoredArchive find(Caller caller, String buildId) {
    builds.get(caller, buildId);
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
