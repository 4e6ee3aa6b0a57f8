package dev.kiln.worker.adapter.gateway;

import dev.kiln.context.ContextArchive;
import dev.kiln.contracts.Digest;
import dev.kiln.worker.app.Cancellation;
import dev.kiln.worker.app.ContextFetcher;
import dev.kiln.worker.app.ImageArchiveStore;
import dev.kiln.worker.app.SourceFetchException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway's internal HTTP API as the worker uses it: {@code GET /internal/v1/contexts/{digest}}
 * to download an uploaded context, {@code PUT /internal/v1/builds/{id}/image} to keep the OCI
 * archive of a build that did not push. Bodies are streamed both ways, never held whole in memory.
 * A context is trusted for nothing: it is unpacked safely and must hash to the digest it was asked
 * for.
 */
public final class GatewayClient implements ContextFetcher, ImageArchiveStore {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final String UNSAFE_SUGGESTION =
      "Remove links and paths that point outside the context, then upload it again.";

  private final HttpClient http;
  private final URI gateway;
  private final Optional<String> token;

  /**
   * @param gateway the gateway's base URL, such as {@code http://localhost:8080}
   * @param token the secret of the gateway's internal API, when it asks for one
   */
  public GatewayClient(URI gateway, Optional<String> token) {
    this.gateway = gateway;
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  @Override
  public long fetch(Digest context, Path target, Cancellation cancellation)
      throws SourceFetchException, InterruptedException {
    URI uri = endpoint("/internal/v1/contexts/" + context);
    HttpResponse<InputStream> response;
    try {
      response = http.send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new SourceFetchException(
          "cannot reach the gateway at " + gateway + " for context " + context + ": " + e, e);
    }
    try (InputStream body = response.body();
        Cancellation.Registration stop = cancellation.onStop(() -> closeQuietly(body))) {
      if (response.statusCode() == 404) {
        throw new SourceFetchException("the gateway has no context " + context);
      }
      if (response.statusCode() != 200) {
        throw new SourceFetchException(
            "the gateway answered " + response.statusCode() + " for context " + context);
      }
      return unpack(body, context, target);
    } catch (ContextArchive.UnsafeEntryException e) {
      throw new SourceFetchException(
          "the context is unsafe: " + e.getMessage(), UNSAFE_SUGGESTION, e);
    } catch (IOException e) {
      throw new SourceFetchException("cannot unpack context " + context + ": " + e.getMessage(), e);
    }
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    token.ifPresent(secret -> request.header("Authorization", "Bearer " + secret));
    return request;
  }

  @Override
  public void store(String buildId, Path archive) throws IOException, InterruptedException {
    URI uri = endpoint("/internal/v1/builds/" + buildId + "/image");
    HttpResponse<String> response =
        http.send(
            request(uri)
                .header("Content-Type", "application/x-tar")
                .PUT(HttpRequest.BodyPublishers.ofFile(archive))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      String body = response.body();
      throw new IOException(
          "the gateway answered "
              + response.statusCode()
              + " to the image archive"
              + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(200, body.length()))));
    }
  }

  private long unpack(InputStream body, Digest expected, Path target)
      throws IOException, SourceFetchException {
    MessageDigest sha256 = sha256();
    BufferedInputStream raw =
        new BufferedInputStream(new DigestInputStream(body, sha256), 64 * 1024);
    long entries =
        ContextArchive.extract(
            ContextArchive.isGzip(raw) ? ContextArchive.gunzip(raw) : raw, target);
    // The digest covers every byte the gateway sent, including what follows the archive's end.
    raw.transferTo(OutputStream.nullOutputStream());
    Digest actual = Digest.sha256(sha256.digest());
    if (!actual.equals(expected)) {
      throw new SourceFetchException(
          "context " + expected + " arrived with the content of " + actual);
    }
    return entries;
  }

  private URI endpoint(String path) {
    String base = gateway.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // Closing is how a download is stopped; a failure to close changes nothing.
    }
  }
}
