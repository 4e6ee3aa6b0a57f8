package dev.kiln.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The public REST API of a farm, as an outside user calls it. */
final class KilnApi {
  private static final Set<String> TERMINAL =
      Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "EXPIRED", "ERROR");

  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;
  private final String token;

  /**
   * @param token the API token every call sends
   */
  KilnApi(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  String baseUrl() {
    return baseUrl;
  }

  String token() {
    return token;
  }

  /** A response: its status and its JSON body. */
  record Reply(int status, JsonNode body) {}

  Reply uploadContext(Path tar) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/contexts"))
            .header("Content-Type", "application/x-tar")
            .POST(HttpRequest.BodyPublishers.ofFile(tar)));
  }

  Reply submit(String buildJson) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/builds"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(buildJson)));
  }

  Reply post(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply put(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  /** Whether a build in this state has ended. */
  static boolean ended(JsonNode build) {
    return TERMINAL.contains(build.get("status").asText());
  }

  /** Reads the build every 200 ms until it has ended (at most 3 minutes), and returns it. */
  JsonNode awaitEnd(String id) {
    List<JsonNode> last = new ArrayList<>(1);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonNode build = get("/api/v1/builds/" + id).body();
              last.clear();
              last.add(build);
              return ended(build);
            });
    return last.getFirst();
  }

  String getText(String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "text/plain")
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
    return new Reply(response.statusCode(), body);
  }
}
