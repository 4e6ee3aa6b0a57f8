package dev.kiln.gateway.adapter.rest;

import static dev.kiln.context.Tars.sha256;
import static dev.kiln.context.Tars.tar;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class ContextApiTest {
  /** The test profile's {@code kiln.gateway.context-max-size}. */
  private static final int LIMIT = 8 * 1024 * 1024;

  @TestHTTPResource("/api/v1/contexts")
  URI contexts;

  @Test
  void uploadAnswersWithTheSha256AndSizeOfTheBytesAsSent() {
    byte[] archive = tar().file("Dockerfile", "FROM scratch\n").file("a.txt", "a").bytes();

    given()
        .contentType("application/x-tar")
        .body(archive)
        .post("/api/v1/contexts")
        .then()
        .statusCode(201)
        .body("digest", equalTo(sha256(archive)))
        .body("size", equalTo(archive.length));
  }

  @Test
  void uploadingTheSameBytesAgainGivesTheSameDigest() {
    byte[] archive = tar().file("Dockerfile", "FROM scratch\nLABEL again=yes\n").bytes();

    String first = upload(archive);
    String second = upload(archive);

    assertThat(second).isEqualTo(first).isEqualTo(sha256(archive));
  }

  @Test
  void gzipUploadIsServedBackToWorkersExactlyAsSent() {
    byte[] archive = tar().file("Dockerfile", "FROM scratch\nLABEL gz=yes\n").gzipped();
    String digest = upload(archive);

    byte[] served =
        given()
            .get("/internal/v1/contexts/" + digest)
            .then()
            .statusCode(200)
            .contentType("application/gzip")
            .extract()
            .asByteArray();

    assertThat(served).isEqualTo(archive);
  }

  @Test
  void plainTarIsServedBackAsATar() {
    byte[] archive = tar().file("Dockerfile", "FROM scratch\nLABEL plain=yes\n").bytes();
    String digest = upload(archive);

    byte[] served =
        given()
            .get("/internal/v1/contexts/" + digest)
            .then()
            .statusCode(200)
            .contentType("application/x-tar")
            .extract()
            .asByteArray();

    assertThat(served).isEqualTo(archive);
  }

  @Test
  void unknownContextIsA404ForWorkers() {
    given()
        .get("/internal/v1/contexts/sha256:" + "0".repeat(64))
        .then()
        .statusCode(404)
        .body("error", equalTo("not_found"));
    given().get("/internal/v1/contexts/not-a-digest").then().statusCode(404);
  }

  @Test
  void contextDeclaredLargerThanTheLimitIsRefusedBeforeItIsSent() throws Exception {
    byte[] tooBig = new byte[LIMIT + 1];
    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(contexts)
                    .expectContinue(true)
                    .header("Content-Type", "application/x-tar")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(tooBig))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).contains("\"error\":\"too_large\"");
    assertThat(uploadsInProgress()).isEmpty();
  }

  @Test
  void contextStreamedPastTheLimitIsRefusedAndNothingIsLeft() throws Exception {
    byte[] tooBig = tar().file("big.bin", random(LIMIT)).bytes();
    assertThat(tooBig.length).isGreaterThan(LIMIT);

    HttpURLConnection connection = (HttpURLConnection) contexts.toURL().openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setChunkedStreamingMode(64 * 1024);
    connection.setRequestProperty("Content-Type", "application/x-tar");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(tooBig, 0, LIMIT + 1);
    }

    assertThat(connection.getResponseCode()).isEqualTo(413);
    assertThat(new String(connection.getErrorStream().readAllBytes())).contains("too_large");
    assertThat(uploadsInProgress()).isEmpty();
    assertThat(dataDir().resolve("contexts/sha256").resolve(sha256(tooBig).substring(7)))
        .doesNotExist();
  }

  @Test
  void uploadIsWrittenToDiskWhileItIsStillArriving() throws Exception {
    // If the body were collected in memory first, nothing would reach the disk before its end.
    byte[] archive = tar().file("big.bin", random(6 * 1024 * 1024)).bytes();
    int firstPart = 4 * 1024 * 1024;

    HttpURLConnection connection = (HttpURLConnection) contexts.toURL().openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(archive.length);
    connection.setRequestProperty("Content-Type", "application/x-tar");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(archive, 0, firstPart);
      out.flush();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> bytesInUploadsInProgress() >= 2 * 1024 * 1024);
      out.write(archive, firstPart, archive.length - firstPart);
    }

    assertThat(connection.getResponseCode()).isEqualTo(201);
    try (InputStream body = connection.getInputStream()) {
      assertThat(new String(body.readAllBytes())).contains(sha256(archive));
    }
  }

  @Test
  void bodyThatIsNotATarIsRefused() {
    given()
        .contentType("application/x-tar")
        .body("{\"this\":\"is json\"}".repeat(50).getBytes())
        .post("/api/v1/contexts")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_context"))
        .body("message", containsString("not a tar archive"));
  }

  @Test
  void entryEscapingTheContextIsRefusedByName() {
    byte[] archive = tar().file("Dockerfile", "FROM scratch").symlink("etc", "../../etc").bytes();

    given()
        .contentType("application/x-tar")
        .body(archive)
        .post("/api/v1/contexts")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_context"))
        .body("message", containsString("'etc'"));
    assertThat(uploadsInProgress()).isEmpty();
  }

  static String upload(byte[] archive) {
    return given()
        .contentType("application/x-tar")
        .body(new ByteArrayInputStream(archive))
        .post("/api/v1/contexts")
        .then()
        .statusCode(201)
        .extract()
        .path("digest");
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static Path dataDir() {
    return Path.of(ConfigProvider.getConfig().getValue("kiln.gateway.data-dir", String.class));
  }

  private static List<Path> uploadsInProgress() {
    Path uploads = dataDir().resolve("tmp");
    if (!Files.isDirectory(uploads)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(uploads)) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long bytesInUploadsInProgress() {
    return uploadsInProgress().stream()
        .mapToLong(
            file -> {
              try {
                return Files.size(file);
              } catch (IOException e) {
                return 0;
              }
            })
        .sum();
  }
}
