package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers that share a layer cache in the farm's registry ({@code
 * kiln.worker.cache-repository}): what one worker built, the other reuses although its own image
 * store has never seen it.
 */
class SharedLayerCacheIT {

  @TempDir static Path data;
  @TempDir Path work;

  private static Farm farm;
  private static KilnApi api;
  private static String registry;

  @BeforeAll
  static void startFarm() throws Exception {
    FarmSettings settings = TestFarms.settings(data, 100).withWorkers(2);
    settings =
        settings.withWorkerSetting(
            "kiln.worker.cache-repository", "127.0.0.1:" + settings.registryPort() + "/kiln-cache");
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
  void aSecondWorkerReusesTheLayersTheFirstBuilt() throws Exception {
    Path context =
        Contexts.withBusybox(
            work,
            """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "sh", "-c", "echo built once > /greeting"]
            """);
    String digest = api.uploadContext(context).body().get("digest").asText();
    String request =
        """
        {"source": {"context": "%s"}, "tags": ["%s/team/cached:1"], "push": true}
        """
            .formatted(digest, registry);

    JsonNode first = api.awaitEnd(api.submit(request).body().get("id").asText());
    assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
    String firstWorker = first.get("worker").asText();
    farm.stop(firstWorker);

    JsonNode second = api.awaitEnd(api.submit(request).body().get("id").asText());

    assertThat(second.get("status").asText()).as(second.toString()).isEqualTo("SUCCEEDED");
    assertThat(second.get("worker").asText()).isNotEqualTo(firstWorker);
    JsonNode steps = api.get("/api/v1/builds/" + second.get("id").asText() + "/steps").body();
    List<JsonNode> made = new ArrayList<>();
    steps.get("steps").forEach(made::add);
    assertThat(made)
        .filteredOn(step -> !step.get("instruction").asText().startsWith("FROM"))
        .isNotEmpty()
        .allSatisfy(
            step -> assertThat(step.get("cached").asBoolean()).as(step.toString()).isTrue());
  }
}
