package dev.kiln.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.function.Supplier;

/** The public API v1 of a Kiln server, as the CLI uses it. */
public final class KilnClient {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final ClientConfig config;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public KilnClient(ClientConfig config) {
    this.config = config;
  }

  public ClientConfig config() {
    return config;
  }

  public JsonNode get(String path) {
    return json(request(path).GET());
  }

  public JsonNode post(String path, JsonNode body) {
    return json(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString())));
  }

  public JsonNode delete(String path) {
    return json(request(path).DELETE());
  }

  /** Uploads a build context as it is produced; the stream is read once, to its end. */
  public JsonNode uploadContext(Supplier<InputStream> tar) {
    return json(
        request("/api/v1/contexts")
            .timeout(Duration.ofHours(2))
            .header("Content-Type", "application/x-tar")
            .POST(HttpRequest.BodyPublishers.ofInputStream(tar)));
  }

  /** A whole log as text, streamed. */
  public InputStream text(String path) {
    HttpResponse<InputStream> response =
        send(
            request(path).header("Accept", "text/plain").GET(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() >= 400) {
      try (InputStream body = response.body()) {
        throw error(response.statusCode(), new String(body.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return response.body();
  }

  /** The WebSocket URL of a path, with the token as {@code access_token}. */
  public URI webSocket(String pathAndQuery) {
    String base = config.server().toString().replaceFirst("^http", "ws");
    String separator = pathAndQuery.contains("?") ? "&" : "?";
    return URI.create(
        base
            + pathAndQuery
            + config.tokenIfAny().map(token -> separator + "access_token=" + token).orElse(""));
  }

  HttpClient http() {
    return http;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(config.server() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "application/json");
    config.tokenIfAny().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
    return builder;
  }

  private JsonNode json(HttpRequest.Builder request) {
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw error(response.statusCode(), response.body());
    }
    try {
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ApiException(
          response.statusCode(),
          "bad_answer",
          "the server answered something that is not JSON",
          null);
    }
  }

  private <T> HttpResponse<T> send(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request.build(), handler);
    } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
      throw new ServerUnreachable(config.server(), e);
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException
          || e.getCause() instanceof UnresolvedAddressException) {
        throw new ServerUnreachable(config.server(), e.getCause());
      }
      throw new UncheckedIOException(
          "the call to " + config.server() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static ApiException error(int status, String body) {
    try {
      JsonNode error = JSON.readTree(body);
      if (error instanceof ObjectNode object && object.has("message")) {
        return new ApiException(
            status,
            object.path("error").asText("error"),
            object.get("message").asText(),
            object.hasNonNull("field") ? object.get("field").asText() : null);
      }
    } catch (IOException notJson) {
      // fall through to the status alone
    }
    return new ApiException(status, "http_" + status, "the server answered " + status, null);
  }
}
