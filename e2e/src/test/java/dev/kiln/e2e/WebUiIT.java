package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser (Debian's chromium, driven by playwright-core from {@code
 * src/test/browser/web-ui.mjs}) against a farm of separate processes. Each test runs one scenario
 * of the script, which checks what a person would see and writes a screenshot of every page it
 * visits to {@code target/screenshots}. The script gets the farm's admin token ({@code
 * KILN_TOKEN}): one scenario types it into the sign-in screen, the others start signed in.
 */
class WebUiIT {
  private static final Path SCRIPT = Path.of("src/test/browser/web-ui.mjs");
  private static final Path SCREENSHOTS = Path.of("target/screenshots");

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
  void folderPickedInTheFormIsBuiltWithoutItsIgnoredFilesAndWatchedToSuccess() throws Exception {
    Path folder = Files.createDirectories(work.resolve("app"));
    Files.copy(Contexts.BUSYBOX, folder.resolve("busybox"));
    Files.writeString(folder.resolve("secret.txt"), "not for the image\n");
    Files.createDirectories(folder.resolve("logs"));
    Files.writeString(folder.resolve("logs/build.log"), "old\n");
    Files.createDirectories(folder.resolve("notes"));
    Files.writeString(folder.resolve("notes/readme.txt"), "kept\n");
    Files.writeString(
        folder.resolve(".dockerignore"), "# left out of the context\nsecret.txt\nlogs\n");
    Files.writeString(
        folder.resolve("Dockerfile"),
        """
        FROM scratch AS base
        ARG GREETING=hello
        COPY busybox /bin/busybox
        COPY . /ctx
        RUN ["/bin/busybox", "sh", "-c", "test ! -e /ctx/secret.txt && test ! -e /ctx/logs && test -e /ctx/notes/readme.txt && echo \\"$GREETING from the browser\\" && printf '\\\\033[32mgreen\\\\033[0m\\\\n'"]
        FROM base
        RUN ["/bin/busybox", "sh", "-c", "echo done"]
        """);

    String output =
        browse(
            "submit-folder",
            Map.of("KILN_CONTEXT_DIR", folder.toString(), "KILN_REGISTRY", registry));

    String id = output.replaceAll("(?s).*submitted build (\\S+).*", "$1");
    JsonNode build = api.get("/api/v1/builds/" + id).body();
    assertThat(build.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(build.at("/spec/buildArgs/GREETING").asText()).isEqualTo("hi");
    assertThat(build.at("/image/pushedRefs/0").asText()).isEqualTo(registry + "/web/app:1.0");
  }

  @Test
  void failedBuildShowsItsCategorySuggestionAndFailingLine() throws Exception {
    String id =
        submitInline(
            """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "sh", "-c", "echo about to fail; exit 3"]
            """);
    awaitStatus(id, "FAILED");

    browse("failed-build", Map.of("KILN_BUILD_ID", id));
  }

  @Test
  void runningBuildShowsItsLogLiveAndIsCancelledFromItsPage() throws Exception {
    String id =
        submitInline(
            """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo tick $i; done; sleep 600"]
            """);
    awaitStatus(id, "RUNNING");
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> api.get("/api/v1/builds/" + id + "/logs").body().get("lines").size() > 0);

    browse("cancel-running", Map.of("KILN_BUILD_ID", id));

    assertThat(api.get("/api/v1/builds/" + id).body().get("status").asText())
        .isEqualTo("CANCELLED");
  }

  @Test
  void userSeesOnlyTheirBuildsAndIsSignedOutWhenTheirTokenIsRevoked() throws Exception {
    // An admin's build, which the user must not see.
    String id = submitInline("FROM scratch\nCOPY busybox /bin/busybox\n");

    browse("user-signed-out-when-revoked", Map.of());

    assertThat(api.get("/api/v1/builds/" + id).status()).isEqualTo(200);
  }

  /** Submits a Dockerfile given inline with a context holding busybox, as the UI does. */
  private String submitInline(String dockerfile) throws Exception {
    String digest =
        api.uploadContext(Contexts.withBusybox(work, dockerfile)).body().get("digest").asText();
    String body =
        KilnApi.JSON
            .createObjectNode()
            .set(
                "source",
                KilnApi.JSON
                    .createObjectNode()
                    .put("context", digest)
                    .put("dockerfile", dockerfile))
            .toString();
    KilnApi.Reply submitted = api.submit(body);
    assertThat(submitted.status()).as(String.valueOf(submitted.body())).isEqualTo(202);
    return submitted.body().get("id").asText();
  }

  private static void awaitStatus(String id, String status) {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> api.get("/api/v1/builds/" + id).body().get("status").asText().equals(status));
  }

  /** Runs one scenario of the browser script; fails with its output when it does not pass. */
  private static String browse(String scenario, Map<String, String> settings)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(List.of("node", SCRIPT.toString(), scenario)).redirectErrorStream(true);
    builder.environment().putAll(settings);
    builder.environment().put("KILN_URL", api.baseUrl());
    builder.environment().put("KILN_TOKEN", api.token());
    builder.environment().put("KILN_SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
    Process process = builder.start();
    StringBuilder output = new StringBuilder();
    try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
      lines
          .lines()
          .forEach(
              line -> {
                System.out.println("[browser] " + line);
                output.append(line).append('\n');
              });
    }
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    assertThat(process.exitValue()).as("scenario %s:%n%s", scenario, output).isZero();
    return output.toString();
  }
}
