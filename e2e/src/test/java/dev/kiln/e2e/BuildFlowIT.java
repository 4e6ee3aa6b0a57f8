package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real build through every service: REST → Kafka → scheduler → worker (buildah) → log-service →
 * WebSocket, on a farm of separate processes started like {@code kiln up}.
 */
class BuildFlowIT {

  @TempDir static Path data;
  @TempDir Path work;

  private static Farm farm;
  private static KilnApi api;
  private static String registry;

  @BeforeAll
  static void startFarm() throws Exception {
    FarmSettings settings = TestFarms.settings(data, 0);
    farm = new Farm(settings, System.out);
    farm.start();
    api = new KilnApi(farm.gatewayUrl(), farm.adminToken());
    registry =
        farm.registryHost().orElseThrow(() -> new IllegalStateException("needs docker-registry"));
  }

  @AfterAll
  static void stopFarm() {
    if (farm != null) {
      farm.close();
    }
  }

  @Test
  void twoStageBuildFromAnUploadedContextIsPushedAndStreamedInOrder() throws Exception {
    Path context =
        Contexts.withBusybox(
            work,
            """
            FROM scratch AS build
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "sh", "-c", "echo hello > /greeting; for i in 1 2 3; do echo line $i; done; echo to-stderr >&2"]
            FROM scratch
            COPY --from=build /greeting /greeting
            """);
    KilnApi.Reply upload = api.uploadContext(context);
    assertThat(upload.status()).isEqualTo(201);
    String digest = upload.body().get("digest").asText();
    String tag = registry + "/team/app:1.0";

    KilnApi.Reply submitted =
        api.submit(
            """
            {"source": {"context": "%s"}, "tags": ["%s"], "push": true}
            """
                .formatted(digest, tag));
    assertThat(submitted.status()).isEqualTo(202);
    assertThat(submitted.body().get("status").asText()).isEqualTo("QUEUED");
    String id = submitted.body().get("id").asText();

    List<JsonNode> messages = LogStream.open(api, id, 0).awaitClose(Duration.ofMinutes(3));
    JsonNode build = api.awaitEnd(id);

    assertThat(build.get("status").asText()).as(build.toString()).isEqualTo("SUCCEEDED");
    List<JsonNode> lines = LogStream.lines(messages);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i).get("seq").asLong()).isEqualTo(i + 1L);
    }
    List<String> texts = lines.stream().map(m -> m.get("text").asText()).toList();
    assertThat(texts)
        .containsSubsequence(
            "[1/2] STEP 1/3: FROM scratch AS build",
            "[1/2] STEP 2/3: COPY busybox /bin/busybox",
            "line 1",
            "line 2",
            "line 3",
            "[2/2] STEP 1/2: FROM scratch",
            "[2/2] STEP 2/2: COPY --from=build /greeting /greeting");
    assertThat(lines)
        .anySatisfy(
            line -> {
              assertThat(line.get("text").asText()).isEqualTo("to-stderr");
              assertThat(line.get("stream").asText()).isEqualTo("stderr");
            });
    assertThat(messages.getLast().get("type").asText()).isEqualTo("end");
    assertThat(messages.getLast().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(messages.stream().filter(m -> m.get("type").asText().equals("step"))).isNotEmpty();
    assertThat(storedLogText(id)).isEqualTo(String.join("\n", texts));

    String pushedDigest = build.at("/image/digest").asText();
    assertThat(build.at("/image/pushedRefs/0").asText()).isEqualTo(tag);
    JsonNode inspected =
        KilnApi.JSON.readTree(
            Commands.run("skopeo", "inspect", "--tls-verify=false", "docker://" + tag));
    assertThat(inspected.get("Digest").asText()).isEqualTo(pushedDigest);

    Path layout = work.resolve("layout");
    Commands.run(
        "skopeo", "copy", "--src-tls-verify=false", "docker://" + tag, "oci:" + layout + ":1.0");
    Path bundle = work.resolve("bundle");
    Commands.run("umoci", "unpack", "--rootless", "--image", layout + ":1.0", bundle.toString());
    assertThat(Files.readString(bundle.resolve("rootfs/greeting"), StandardCharsets.UTF_8))
        .isEqualTo("hello\n");
  }

  @Test
  void runThatExitsThreeFailsTheBuildAndNamesTheStep() throws Exception {
    Path context =
        Contexts.withBusybox(
            work,
            """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "sh", "-c", "echo about to fail; exit 3"]
            """);
    String digest = api.uploadContext(context).body().get("digest").asText();
    String id =
        api.submit("{\"source\": {\"context\": \"%s\"}}".formatted(digest))
            .body()
            .get("id")
            .asText();

    List<JsonNode> messages = LogStream.open(api, id, 0).awaitClose(Duration.ofMinutes(3));
    JsonNode build = api.awaitEnd(id);

    assertThat(build.get("status").asText()).as(build.toString()).isEqualTo("FAILED");
    assertThat(build.at("/error/exitCode").asInt()).isEqualTo(3);
    assertThat(build.at("/error/category").asText()).isEqualTo("RUN_FAILED");
    assertThat(build.at("/error/step").asInt()).isEqualTo(3);
    assertThat(build.at("/error/instruction").asText()).startsWith("RUN");
    assertThat(messages.getLast().get("status").asText()).isEqualTo("FAILED");
    assertThat(LogStream.lines(messages).stream().map(line -> line.path("text").asText()))
        .contains("about to fail");
  }

  private static String storedLogText(String id) throws Exception {
    String text = api.getText("/api/v1/builds/" + id + "/logs");
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}
