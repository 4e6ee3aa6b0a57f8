package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmException;
import dev.kiln.context.Trees;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build that prints a numbered line every 50 ms while log-service, or the broker, is killed with
 * {@code kill -9} and started again: the stored log holds every line once, in order, and a client
 * that reconnects with the last seq it saw gets exactly the rest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogRestartIT {
  private static final int TICKS = 200;

  /** The farm's folder stays after the tests, its logs included, for a look when one fails. */
  private static final Path DATA = Path.of("target/farms/log-restart").toAbsolutePath();

  @TempDir Path work;

  private static Farm farm;
  private static KilnApi api;

  @BeforeAll
  static void startFarm() throws Exception {
    Trees.delete(DATA);
    farm = new Farm(TestFarms.settings(DATA, 200), System.out);
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
  @Order(2)
  void noLineIsLostOrRepeatedWhenLogServiceIsKilledMidBuild() throws Exception {
    buildThrough(() -> crash("log-service"));
  }

  @Test
  @Order(1)
  void noLineIsLostOrRepeatedWhenTheBrokerIsKilledMidBuild() throws Exception {
    buildThrough(() -> crash("kafka"));
  }

  private static void crash(String component) throws FarmException {
    farm.kill(component);
    farm.restart(component);
  }

  private void buildThrough(Disruption disruption) throws Exception {
    String dockerfile =
        "FROM scratch\nCOPY busybox /bin/busybox\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"for i in $(/bin/busybox seq 1 "
            + TICKS
            + "); do echo tick $i; /bin/busybox sleep 0.05; done\"]\n";
    String digest =
        api.uploadContext(Contexts.withBusybox(work, dockerfile)).body().get("digest").asText();
    String id =
        api.submit("{\"source\":{\"context\":\"" + digest + "\"},\"options\":{\"noCache\":true}}")
            .body()
            .get("id")
            .asText();

    // noCache: a RUN taken from the layer cache prints nothing.
    // The first connection, until the disruption, then reconnections from the last seq seen.
    List<JsonNode> received = new ArrayList<>();
    LogStream first = LogStream.open(api, id, 0);
    await()
        .atMost(Duration.ofMinutes(3))
        .until(
            () ->
                LogStream.lines(first.received()).stream()
                    .anyMatch(line -> line.path("text").asText().equals("tick 30")));
    disruption.run();
    received.addAll(first.awaitDisconnect(Duration.ofMinutes(3)));
    int reconnections = 0;
    while (!received.getLast().path("type").asText().equals("end")) {
      assertThat(++reconnections).as("reconnections").isLessThan(20);
      received.addAll(
          LogStream.open(api, id, lastSeq(received)).awaitDisconnect(Duration.ofMinutes(3)));
    }

    JsonNode build = api.awaitEnd(id);
    assertThat(build.get("status").asText()).as(build.toString()).isEqualTo("SUCCEEDED");
    List<JsonNode> lines = LogStream.lines(received);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i).get("seq").asLong())
          .as("seq of line %d received", i)
          .isEqualTo(i + 1);
    }
    assertThat(ticks(lines.stream().map(m -> m.get("text").asText()).toList()))
        .containsExactlyElementsOf(expectedTicks());
    List<String> stored = api.getText("/api/v1/builds/" + id + "/logs").lines().toList();
    assertThat(stored).hasSize(lines.size());
    assertThat(ticks(stored)).containsExactlyElementsOf(expectedTicks());
  }

  private static long lastSeq(List<JsonNode> messages) {
    return LogStream.lines(messages).stream()
        .mapToLong(line -> line.get("seq").asLong())
        .max()
        .orElse(0);
  }

  private static List<String> ticks(List<String> lines) {
    return lines.stream().filter(line -> line.startsWith("tick ")).toList();
  }

  private static List<String> expectedTicks() {
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= TICKS; i++) {
      expected.add("tick " + i);
    }
    return expected;
  }

  @FunctionalInterface
  private interface Disruption {
    void run() throws Exception;
  }
}
