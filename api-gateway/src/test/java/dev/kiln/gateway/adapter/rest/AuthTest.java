package dev.kiln.gateway.adapter.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.kiln.context.Tars;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.gateway.KafkaProbe;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(AuthEnabledProfile.class)
@WithTestResource(KilnInfrastructure.class)
class AuthTest {
  private static final String INLINE = "{\"source\":{\"dockerfile\":\"FROM scratch\\n\"}}";

  @TestHTTPResource("/")
  URI base;

  private String admin;
  private String alice;
  private String bob;

  @BeforeEach
  void tokens() throws Exception {
    admin = Files.readString(Path.of(AuthEnabledProfile.BOOTSTRAP_FILE)).strip();
    String unique = UUID.randomUUID().toString().substring(0, 8);
    alice = newToken("alice-" + unique, "user");
    bob = newToken("bob-" + unique, "user");
  }

  @Test
  void everyApiCallWithoutATokenIsRefusedAndHealthStaysOpen() {
    given().get("/api/v1/builds").then().statusCode(401).body("error", equalTo("unauthorized"));
    given()
        .contentType(ContentType.JSON)
        .body(INLINE)
        .post("/api/v1/builds")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"));
    given().get("/api/v1/whoami").then().statusCode(401);
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
  }

  @Test
  void anUploadBehindTheTokenCheckArrivesWhole() {
    byte[] tar = Tars.tar().file("big.bin", new byte[3 * 1024 * 1024]).bytes();
    String digest = Tars.sha256(tar);
    as(alice)
        .contentType("application/x-tar")
        .body(tar)
        .post("/api/v1/contexts")
        .then()
        .statusCode(201)
        .body("digest", equalTo(digest))
        .body("size", equalTo(tar.length));
  }

  @Test
  void anUnknownTokenIsRefused() {
    as("kiln_thisTokenWasNeverMade").get("/api/v1/builds").then().statusCode(401);
    as("not-even-a-kiln-token").get("/api/v1/builds").then().statusCode(401);
  }

  @Test
  void theFirstAdminTokenIsWrittenForItsOwnerOnly() throws Exception {
    Path file = Path.of(AuthEnabledProfile.BOOTSTRAP_FILE);
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    as(admin).get("/api/v1/whoami").then().statusCode(200).body("role", equalTo("admin"));
  }

  @Test
  void aUserSeesAndActsOnlyOnTheirOwnBuilds() {
    String own = submit(alice);
    String aliceName = as(alice).get("/api/v1/whoami").then().extract().path("name");

    as(alice).get("/api/v1/builds/" + own).then().statusCode(200).body("owner", equalTo(aliceName));
    as(alice)
        .get("/api/v1/builds")
        .then()
        .statusCode(200)
        .body("builds.id", hasItem(own))
        .body("builds.owner", everyItem(equalTo(aliceName)));

    as(bob).get("/api/v1/builds/" + own).then().statusCode(404).body("error", equalTo("not_found"));
    as(bob).post("/api/v1/builds/" + own + "/cancel").then().statusCode(404);
    as(bob).post("/api/v1/builds/" + own + "/retry").then().statusCode(404);
    as(bob).get("/api/v1/builds/" + own + "/image").then().statusCode(404);
    as(bob).get("/api/v1/builds/" + own + "/logs").then().statusCode(404);
    as(bob).get("/api/v1/builds/" + own + "/steps").then().statusCode(404);
    as(bob).get("/api/v1/builds").then().statusCode(200).body("builds.id", not(hasItem(own)));
    as(bob).get("/api/v1/builds?owner=" + aliceName).then().body("builds.id", not(hasItem(own)));

    as(admin).get("/api/v1/builds/" + own).then().statusCode(200);
    as(admin)
        .get("/api/v1/builds?owner=" + aliceName)
        .then()
        .statusCode(200)
        .body("builds.id", hasItem(own));
    as(alice).post("/api/v1/builds/" + own + "/cancel").then().statusCode(202);
  }

  @Test
  void anotherOwnersBuildLooksLikeNoBuildAtAll() {
    String own = submit(alice);
    String missing = "01900000-0000-7000-8000-000000000000";
    String hidden =
        as(bob).get("/api/v1/builds/" + own).then().statusCode(404).extract().asString();
    String absent =
        as(bob).get("/api/v1/builds/" + missing).then().statusCode(404).extract().asString();
    assertThat(hidden.replace(own, "ID")).isEqualTo(absent.replace(missing, "ID"));
  }

  @Test
  void onlyAnAdminManagesTokens() {
    as(alice)
        .contentType(ContentType.JSON)
        .body("{\"name\":\"mallory\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(403)
        .body("error", equalTo("forbidden"));
    as(alice).get("/api/v1/tokens").then().statusCode(403);
    as(admin)
        .contentType(ContentType.JSON)
        .body("{\"name\":\"has space\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400)
        .body("field", equalTo("name"));
    as(admin)
        .contentType(ContentType.JSON)
        .body("{\"name\":\"carol\",\"role\":\"root\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400)
        .body("field", equalTo("role"));
  }

  @Test
  void aRevokedTokenStopsWorking() {
    String tokenId = tokenIdOf(bob);
    as(bob).get("/api/v1/builds").then().statusCode(200);

    as(admin)
        .delete("/api/v1/tokens/" + tokenId)
        .then()
        .statusCode(200)
        .body("revokedAt", notNullValue());

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> as(bob).get("/api/v1/builds").then().statusCode(401));
    as(alice).get("/api/v1/builds").then().statusCode(200);
    as(admin).delete("/api/v1/tokens/tok_doesnotexist").then().statusCode(404);
  }

  @Test
  void theInternalApiNeedsTheWorkersSecret() {
    String unknown = "/internal/v1/contexts/sha256:" + "0".repeat(64);
    given().get(unknown).then().statusCode(401);
    as(admin).get(unknown).then().statusCode(401);
    as(AuthEnabledProfile.INTERNAL_TOKEN).get(unknown).then().statusCode(404);
  }

  @Test
  void theLogStreamNeedsATokenAndTakesItAsAQueryParameter() {
    String own = submit(alice);
    URI stream =
        URI.create(
            base.toString().replaceFirst("^http", "ws") + "api/v1/builds/" + own + "/logs/stream");

    assertThat(handshakeStatus(stream)).isEqualTo(401);
    assertThat(handshakeStatus(URI.create(stream + "?access_token=" + bob))).isEqualTo(404);
    // With the owner's token the gateway accepts the upgrade (and then relays to log-service).
    assertThat(handshakeStatus(URI.create(stream + "?access_token=" + alice))).isEqualTo(101);
  }

  @Test
  void theStatusFeedTellsAUserOnlyOfTheirOwnBuilds() {
    String aliceBuild = submit(alice);
    String bobBuild = submit(bob);
    String feed = base.toString().replaceFirst("^http", "ws") + "api/v1/builds/stream";
    List<String> aliceHears = new CopyOnWriteArrayList<>();
    List<String> bobHears = new CopyOnWriteArrayList<>();
    listen(URI.create(feed + "?access_token=" + alice), aliceHears);
    listen(URI.create(feed + "?access_token=" + bob), bobHears);

    KafkaProbe.publish(aliceBuild, queued());
    KafkaProbe.publish(bobBuild, queued());

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                aliceHears.stream().anyMatch(m -> m.contains(aliceBuild))
                    && bobHears.stream().anyMatch(m -> m.contains(bobBuild)));
    assertThat(aliceHears).noneMatch(m -> m.contains(bobBuild));
    assertThat(bobHears).noneMatch(m -> m.contains(aliceBuild));
  }

  @Test
  void theTokenInTheQueryIsNotPassedOnToLogService() {
    assertThat(LogRelayRoutes.withoutToken("after=5&access_token=s3cret&attempt=2"))
        .isEqualTo("after=5&attempt=2");
    assertThat(LogRelayRoutes.withoutToken("access_token=s3cret")).isEmpty();
    assertThat(LogRelayRoutes.withoutToken(null)).isEmpty();
  }

  private static BuildStatusChanged queued() {
    return new BuildStatusChanged(null, BuildState.QUEUED, 1, null, null, null, null, null);
  }

  private static void listen(URI feed, List<String> messages) {
    HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .buildAsync(
            feed,
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                messages.add(data.toString());
                socket.request(1);
                return null;
              }
            })
        .join();
  }

  private static int handshakeStatus(URI uri) {
    try {
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(uri, new WebSocket.Listener() {})
              .join();
      socket.abort();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException handshake) {
        return handshake.getResponse().statusCode();
      }
      throw e;
    }
  }

  private String newToken(String name, String role) {
    return as(admin)
        .contentType(ContentType.JSON)
        .body("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .body("name", equalTo(name))
        .extract()
        .path("token");
  }

  private String tokenIdOf(String secret) {
    String name = as(secret).get("/api/v1/whoami").then().extract().path("name");
    List<String> ids =
        as(admin)
            .get("/api/v1/tokens")
            .then()
            .extract()
            .jsonPath()
            .getList("findAll { it.name == '" + name + "' }.id", String.class);
    return ids.getFirst();
  }

  private String submit(String token) {
    return as(token)
        .contentType(ContentType.JSON)
        .body(INLINE)
        .post("/api/v1/builds")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  private static RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token);
  }
}
