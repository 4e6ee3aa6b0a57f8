package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.farm.Farm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** The gateway calls the benchmarks make, as the farm's admin. */
final class GatewayApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL =
      Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "EXPIRED", "ERROR");

  private final HttpClient http = HttpClient.newHttpClient();
  private final String gateway;
  private final String token;

  GatewayApi(Farm farm) {
    this.gateway = farm.gatewayUrl();
    this.token = farm.adminToken();
  }

  /** Uploads a context tar; returns its digest. */
  String upload(Path tar) throws IOException, InterruptedException {
    return send(request("/api/v1/contexts")
            .header("Content-Type", "application/x-tar")
            .POST(HttpRequest.BodyPublishers.ofFile(tar)))
        .get("digest")
        .asText();
  }

  /** Submits a build; returns its id. */
  String submit(String buildJson) throws IOException, InterruptedException {
    return send(request("/api/v1/builds")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(buildJson)))
        .get("id")
        .asText();
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(request(path));
  }

  /** Whether a build in this status has ended. */
  static boolean ended(JsonNode build) {
    return TERMINAL.contains(build.get("status").asText());
  }

  /**
   * Submits a build and reads it every 5 ms until it ends.
   *
   * @return the build as GET first answered it {@code SUCCEEDED}, and the milliseconds from the
   *     submission to that answer
   * @throws IllegalStateException when the build ends otherwise
   */
  Finished buildToSuccess(String buildJson) throws IOException, InterruptedException {
    long start = System.nanoTime();
    String id = submit(buildJson);
    while (true) {
      JsonNode build = get("/api/v1/builds/" + id);
      if (ended(build)) {
        double ms = (System.nanoTime() - start) / 1e6;
        if (!build.get("status").asText().equals("SUCCEEDED")) {
          throw new IllegalStateException("benchmark build " + id + " ended " + build);
        }
        return new Finished(build, ms);
      }
      Thread.sleep(Duration.ofMillis(5));
    }
  }

  /** A build that succeeded, and how long it took from its submission. */
  record Finished(JsonNode build, double millis) {}

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(gateway + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpRequest built = request.build();
    HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          built.method()
              + " "
              + built.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return JSON.readTree(response.body());
  }
}
