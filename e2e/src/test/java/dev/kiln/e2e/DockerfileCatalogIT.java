package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dockerfile checks and the catalog on a farm of separate processes: the gateway refuses a broken
 * Dockerfile before anything is queued, and a custom image kept in the catalog is built by a real
 * worker with buildah from the commit the build records.
 */
class DockerfileCatalogIT {

  @TempDir static Path data;

  private static Farm farm;
  private static KilnApi api;

  @BeforeAll
  static void startFarm() throws Exception {
    FarmSettings settings = TestFarms.settings(data, 0);
    farm = new Farm(settings, System.out);
    farm.start();
    api = new KilnApi(farm.gatewayUrl(), farm.adminToken());
  }

  @AfterAll
  static void stopFarm() {
    if (farm != null) {
      farm.close();
    }
  }

  @Test
  void analyzeAnswersTheStepsAndFindingsOfADockerfile() throws Exception {
    ObjectNode body = KilnApi.JSON.createObjectNode();
    body.put("dockerfile", "FROM scratch AS a\nCOPY x /x\nFROM a\nCMD echo\n");

    KilnApi.Reply reply = api.post("/api/v1/dockerfiles/analyze", body.toString());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("valid").asBoolean()).isTrue();
    assertThat(reply.body().at("/analysis/steps").asInt()).isEqualTo(4);
    assertThat(reply.body().at("/findings/0/id").asText()).isEqualTo("JSONArgsRecommended");
    assertThat(reply.body().at("/findings/0/lines/start").asInt()).isEqualTo(4);
  }

  @Test
  void aBuildWhoseDockerfileDoesNotParseIsRefusedBeforeItIsQueued() throws Exception {
    KilnApi.Reply reply = api.submit("{\"source\":{\"dockerfile\":\"FROM scratch\\nRUN\\n\"}}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("error").asText()).isEqualTo("invalid_dockerfile");
    assertThat(reply.body().get("field").asText()).isEqualTo("dockerfile");
    assertThat(reply.body().get("message").asText()).isEqualTo("line 2: RUN needs a command");
  }

  @Test
  void aCustomImageFromTheCatalogIsBuiltFromTheCommitItRecords() throws Exception {
    KilnApi.Reply created =
        api.post(
            "/api/v1/catalog/images",
            "{\"name\":\"hello\",\"template\":\"static-binary\",\"message\":\"Start hello\"}");
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);

    writeFile("hello", "context/busybox", Files.readAllBytes(Contexts.BUSYBOX), true);
    writeFile(
        "hello",
        "Dockerfile",
        """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "sh", "-c", "echo from the catalog > /greeting"]
        CMD ["/bin/busybox", "cat", "/greeting"]
        """
            .getBytes(),
        null);
    String commit = api.get("/api/v1/catalog").body().get("head").asText();

    KilnApi.Reply submitted = api.submit("{\"source\":{\"catalog\":\"hello\"}}");
    assertThat(submitted.status()).as(String.valueOf(submitted.body())).isEqualTo(202);
    assertThat(submitted.body().get("catalogCommit").asText()).isEqualTo(commit);
    String id = submitted.body().get("id").asText();

    JsonNode build = api.awaitEnd(id);

    assertThat(build.get("status").asText()).as(build.toString()).isEqualTo("SUCCEEDED");
    assertThat(build.get("catalog").asText()).isEqualTo("hello");
    assertThat(build.get("catalogCommit").asText()).isEqualTo(commit);
    String log = api.getText("/api/v1/builds/" + id + "/logs");
    // The template's build.yaml gives a label; buildah adds a LABEL step of its own for it.
    assertThat(log)
        .contains("STEP 1/5: FROM scratch")
        .contains(
            "STEP 3/5: RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo from the catalog > /greeting\"]")
        .contains("STEP 4/5: CMD")
        .contains(
            "STEP 5/5: LABEL \"org.opencontainers.image.description\"=\"a statically linked program\"");
  }

  private static void writeFile(String image, String path, byte[] content, Boolean executable)
      throws Exception {
    String head = api.get("/api/v1/catalog").body().get("head").asText();
    ObjectNode body = KilnApi.JSON.createObjectNode();
    body.put("content", Base64.getEncoder().encodeToString(content));
    body.put("encoding", "base64");
    if (executable != null) {
      body.put("executable", executable);
    }
    body.put("baseCommit", head);
    body.put("message", "Write " + path);
    KilnApi.Reply reply =
        api.put("/api/v1/catalog/images/" + image + "/files/" + path, body.toString());
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(200);
  }
}
