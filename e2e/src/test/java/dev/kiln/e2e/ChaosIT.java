package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A farm of three workers and two schedulers, each its own process, that loses a worker to {@code
 * kill -9} in the middle of its builds and then loses both schedulers with builds queued: every
 * build still ends SUCCEEDED, none stays stuck, and no build ever ran on two workers at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {
  private static final Duration PATIENCE = Duration.ofMinutes(5);
  private static final String VICTIM = "build-worker-2";

  @TempDir static Path data;
  @TempDir Path work;

  private static Farm farm;
  private static KilnApi api;
  private static List<KilnApi> schedulers;

  @BeforeAll
  static void startFarm() throws Exception {
    FarmSettings settings = TestFarms.settings(data, 100).withWorkers(3).withSchedulers(2);
    farm = new Farm(settings, System.out);
    farm.start();
    api = new KilnApi(farm.gatewayUrl(), farm.adminToken());
    schedulers =
        List.of(
            new KilnApi("http://127.0.0.1:" + settings.schedulerPort(1), farm.adminToken()),
            new KilnApi("http://127.0.0.1:" + settings.schedulerPort(2), farm.adminToken()));
  }

  @AfterAll
  static void stopFarm() {
    if (farm != null) {
      farm.close();
    }
  }

  @Test
  @Order(1)
  void buildsOfAWorkerKilledMidBuildFinishOnAnotherWorkerAndNoneRunsTwice() throws Exception {
    List<String> ids = submitSleepingBuilds(20, 4, "chaos");

    // Kill the victim once a build on it is inside its RUN step.
    List<String> inside = new ArrayList<>();
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> inside.addAll(runningInsideStep(ids, VICTIM)));
    Instant killedAt = Instant.now();
    farm.kill(VICTIM);

    Map<String, JsonNode> finished = awaitAllTerminal(ids);
    for (String id : ids) {
      assertThat(finished.get(id).get("status").asText())
          .as(finished.get(id).toString())
          .isEqualTo("SUCCEEDED");
    }
    Map<String, List<JsonNode>> histories = new HashMap<>();
    for (String id : ids) {
      histories.put(id, transitions(id));
      assertNeverOnTwoWorkersAtOnce(id, histories.get(id));
    }
    List<String> lost = ids.stream().filter(id -> lostMove(histories.get(id)) != null).toList();
    assertThat(lost).as("builds requeued from %s", VICTIM).isNotEmpty();
    for (String id : inside) {
      // A build seen inside its RUN step is lost with the worker, unless it ended on it first.
      JsonNode build = finished.get(id);
      boolean endedBeforeTheKill =
          build.get("worker").asText().equals(VICTIM) && build.get("attempt").asInt() == 1;
      assertThat(lost.contains(id) || endedBeforeTheKill).as(build.toString()).isTrue();
    }
    Instant recovered = killedAt;
    for (String id : lost) {
      JsonNode build = finished.get(id);
      List<JsonNode> history = histories.get(id);
      JsonNode requeue = lostMove(history);
      assertThat(requeue.get("workerId").asText()).isEqualTo(VICTIM);
      assertThat(Instant.parse(requeue.get("at").asText())).isAfter(killedAt);
      assertThat(build.get("worker").asText()).as(id).isNotEqualTo(VICTIM);
      assertThat(build.get("attempt").asInt()).as(id).isEqualTo(requeue.get("attempt").asInt());
      Instant runningAgain =
          Instant.parse(runningOfAttempt(history, build.get("attempt").asInt()).get("at").asText());
      recovered = runningAgain.isAfter(recovered) ? runningAgain : recovered;
    }
    for (String id : lost.stream().filter(inside::contains).toList()) {
      // The lines the lost attempt wrote stay under that attempt.
      assertThat(api.getText("/api/v1/builds/" + id + "/logs?attempt=1")).contains("chaos build");
    }
    // The killed worker comes back on the store the crash left behind and takes builds again.
    farm.restart(VICTIM);
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> workerAliveAndStartedAfter(VICTIM, killedAt));
    System.out.printf(
        "ChaosIT: %d of %d builds were on %s when it was killed; time to recover (kill to the"
            + " last of them RUNNING on another worker): %.1f s%n",
        lost.size(), ids.size(), VICTIM, Duration.between(killedAt, recovered).toMillis() / 1000.0);
  }

  @Test
  @Order(2)
  void buildsQueuedWhileEverySchedulerIsDownAreAllBuiltOnceTheyAreBack() throws Exception {
    List<String> before = submitSleepingBuilds(10, 2, "restart");
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> statuses(before).values().stream().anyMatch(s -> s.equals("RUNNING")));
    Map<String, String> atStop = statuses(before);
    assertThat(atStop.values()).as("some builds wait in the queue").contains("QUEUED");

    farm.kill("build-scheduler-1");
    farm.stop("build-scheduler-2");
    List<String> whileDown = submitSleepingBuilds(5, 2, "down");
    Thread.sleep(Duration.ofSeconds(5));
    assertThat(statuses(whileDown).values()).containsOnly("QUEUED");
    farm.restart("build-scheduler-1");
    farm.restart("build-scheduler-2");

    List<String> all = new ArrayList<>(before);
    all.addAll(whileDown);
    Map<String, JsonNode> finished = awaitAllTerminal(all);
    for (String id : all) {
      assertThat(finished.get(id).get("status").asText())
          .as(finished.get(id).toString())
          .isEqualTo("SUCCEEDED");
      assertNeverOnTwoWorkersAtOnce(id, transitions(id));
    }
  }

  /** Submits builds of contexts of their own whose RUN prints a line and sleeps. */
  private List<String> submitSleepingBuilds(int count, int sleepSeconds, String label)
      throws Exception {
    List<String> ids = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      Path context =
          Contexts.withBusybox(
              work,
              """
              FROM scratch
              COPY busybox /bin/busybox
              RUN ["/bin/busybox", "sh", "-c", "echo %s build %d; sleep %d; echo done"]
              """
                  .formatted(label, n, sleepSeconds));
      String digest = api.uploadContext(context).body().get("digest").asText();
      KilnApi.Reply submitted = api.submit("{\"source\": {\"context\": \"%s\"}}".formatted(digest));
      assertThat(submitted.status()).isEqualTo(202);
      ids.add(submitted.body().get("id").asText());
    }
    return ids;
  }

  /** Builds running on the worker whose log shows their RUN step began. */
  private static List<String> runningInsideStep(List<String> ids, String worker) throws Exception {
    List<String> inside = new ArrayList<>();
    for (String id : activeOn(ids, worker)) {
      String log = api.getText("/api/v1/builds/" + id + "/logs");
      if (log.contains("chaos build") && !log.contains("\ndone")) {
        inside.add(id);
      }
    }
    return inside;
  }

  /** Builds the gateway shows assigned to or running on the worker. */
  private static List<String> activeOn(List<String> ids, String worker) throws Exception {
    List<String> active = new ArrayList<>();
    for (String id : ids) {
      JsonNode build = api.get("/api/v1/builds/" + id).body();
      String status = build.get("status").asText();
      if ((status.equals("ASSIGNED") || status.equals("RUNNING"))
          && worker.equals(build.path("worker").asText())) {
        active.add(id);
      }
    }
    return active;
  }

  private static boolean workerAliveAndStartedAfter(String worker, Instant after) throws Exception {
    for (JsonNode listed : schedulers.getFirst().get("/api/v1/workers").body()) {
      if (listed.get("id").asText().equals(worker)) {
        return listed.get("alive").asBoolean()
            && Instant.parse(listed.get("startedAt").asText()).isAfter(after);
      }
    }
    return false;
  }

  private static Map<String, String> statuses(List<String> ids) throws Exception {
    Map<String, String> statuses = new HashMap<>();
    for (String id : ids) {
      statuses.put(id, api.get("/api/v1/builds/" + id).body().get("status").asText());
    }
    return statuses;
  }

  private static Map<String, JsonNode> awaitAllTerminal(List<String> ids) {
    Map<String, JsonNode> last = new HashMap<>();
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (String id : ids) {
                JsonNode build = api.get("/api/v1/builds/" + id).body();
                last.put(id, build);
              }
              return last.values().stream().allMatch(KilnApi::ended);
            });
    return last;
  }

  /** The build's moves as the scheduler recorded them, from whichever scheduler answers. */
  private static List<JsonNode> transitions(String id) throws Exception {
    for (KilnApi scheduler : schedulers) {
      try {
        KilnApi.Reply reply = scheduler.get("/api/v1/builds/" + id + "/transitions");
        if (reply.status() == 200) {
          List<JsonNode> moves = new ArrayList<>();
          reply.body().forEach(moves::add);
          return moves;
        }
      } catch (java.io.IOException down) {
        // try the other one
      }
    }
    throw new IllegalStateException("no scheduler knows build " + id);
  }

  /**
   * Walks a build's history: an attempt is open from ASSIGNED until the build leaves it (requeued
   * or finished), and a new attempt is only ever assigned when none is open.
   */
  private static void assertNeverOnTwoWorkersAtOnce(String id, List<JsonNode> history) {
    String openOn = null;
    for (JsonNode move : history) {
      String to = move.get("to").asText();
      if (to.equals("ASSIGNED")) {
        assertThat(openOn)
            .as(id + " assigned while its attempt on " + openOn + " was open")
            .isNull();
        openOn = move.get("workerId").asText();
      } else if (to.equals("RUNNING")) {
        assertThat(move.get("workerId").asText()).as(id + " " + history).isEqualTo(openOn);
      } else {
        openOn = null;
      }
    }
    assertThat(history.getLast().get("to").asText()).isEqualTo("SUCCEEDED");
  }

  /** The move that took the build back from a lost worker, if there was one (at most one). */
  private static JsonNode lostMove(List<JsonNode> history) {
    List<JsonNode> requeues =
        history.stream().filter(m -> m.get("reason").asText().equals("WORKER_LOST")).toList();
    assertThat(requeues).as(history.toString()).hasSizeLessThanOrEqualTo(1);
    return requeues.isEmpty() ? null : requeues.getFirst();
  }

  private static JsonNode runningOfAttempt(List<JsonNode> history, int attempt) {
    return history.stream()
        .filter(m -> m.get("to").asText().equals("RUNNING") && m.get("attempt").asInt() == attempt)
        .findFirst()
        .orElseThrow(() -> new AssertionError("attempt " + attempt + " never ran: " + history));
  }
}
