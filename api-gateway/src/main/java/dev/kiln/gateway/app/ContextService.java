package dev.kiln.gateway.app;

import dev.kiln.contracts.Digest;
import dev.kiln.gateway.config.GatewayConfig;
import dev.kiln.gateway.domain.InvalidContextException;
import dev.kiln.gateway.domain.TarContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/** Takes build contexts uploaded as tar archives and hands them out to workers. */
@ApplicationScoped
public class ContextService {
  private final UploadReceiver receiver;
  private final ContextStore store;
  private final long maxSize;

  public ContextService(UploadReceiver receiver, ContextStore store, GatewayConfig config) {
    this.receiver = receiver;
    this.store = store;
    this.maxSize = config.contextMaxSize().asLongValue();
  }

  /** The largest context accepted, in bytes as uploaded. */
  public long maxSize() {
    return maxSize;
  }

  /**
   * Receives, checks and keeps one context.
   *
   * @throws Failures.RequestRejected when it is not a tar archive or would escape its folder
   */
  public ContextUploaded upload(InputStream body) {
    try (ReceivedUpload upload = receiver.receive(body, maxSize, "the context")) {
      TarContext.Summary summary = inspect(upload);
      store.keep(upload, summary.gzip());
      return new ContextUploaded(upload.digest(), upload.size());
    }
  }

  /** The context stored under {@code digest}. */
  public ContextStore.StoredContext find(Digest digest) {
    return store
        .find(digest)
        .orElseThrow(() -> new Failures.NothingStored("no context " + digest + " was uploaded"));
  }

  private static TarContext.Summary inspect(ReceivedUpload upload) {
    try (InputStream in = Files.newInputStream(upload.file())) {
      return TarContext.inspect(in);
    } catch (InvalidContextException e) {
      throw new Failures.RequestRejected("invalid_context", e.getMessage(), null);
    } catch (IOException e) {
      throw new Failures.StorageUnavailable("cannot read back the upload", e);
    }
  }

  /**
   * A context that is now stored.
   *
   * @param digest the sha256 of the bytes as uploaded; a build names its context by it
   * @param size the number of bytes as uploaded
   */
  public record ContextUploaded(Digest digest, long size) {}
}
