package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import dev.kiln.context.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How often a rebuild lands where its layers are: a real farm with three real workers rebuilds the
 * same five uploaded contexts round after round, all five submitted at once each round. A warm
 * placement is a build that ran on the worker that built its source the round before; a cached
 * build is one whose RUN step buildah took from the cache (read from the steps API). Printed beside
 * them: the warm rate random placement would give, one in the number of workers.
 *
 * <p>Options: {@code --rounds 5} (rebuild rounds after the first, cold one).
 */
public final class CacheAffinity {
  private static final int WORKERS = 3;
  private static final int SOURCES = 5;

  private final GatewayApi api;

  private CacheAffinity(GatewayApi api) {
    this.api = api;
  }

  public static void main(String[] args) throws Exception {
    Options options = new Options(args);
    int rounds = options.integer("rounds", 5);
    Path work = Files.createTempDirectory("kiln-bench");
    FarmSettings settings =
        FarmSettings.defaults(Path.of(System.getProperty("kiln.home", ".")), work.resolve("farm"))
            .withPortBase(options.integer("port-base", 33000))
            .withWorkers(WORKERS);
    try (Farm farm = new Farm(settings, System.err)) {
      farm.start();
      new CacheAffinity(new GatewayApi(farm)).run(work, rounds);
    } finally {
      Trees.delete(work);
    }
  }

  private void run(Path work, int rounds) throws Exception {
    List<String> digests = new ArrayList<>();
    for (int n = 1; n <= SOURCES; n++) {
      digests.add(api.upload(context(work, n)));
    }
    Map<String, String> lastWorker = new HashMap<>();
    for (Map.Entry<String, JsonNode> built : buildAll(digests).entrySet()) {
      lastWorker.put(built.getKey(), built.getValue().get("worker").asText());
    }
    System.out.println("cold round: sources on " + lastWorker.values());
    int builds = 0;
    int warm = 0;
    int cached = 0;
    for (int round = 1; round <= rounds; round++) {
      Map<String, JsonNode> results = buildAll(digests);
      List<String> placed = new ArrayList<>();
      for (String digest : digests) {
        JsonNode build = results.get(digest);
        String worker = build.get("worker").asText();
        boolean onWarmWorker = worker.equals(lastWorker.get(digest));
        boolean runCached = runStepCached(build.get("id").asText());
        builds++;
        warm += onWarmWorker ? 1 : 0;
        cached += runCached ? 1 : 0;
        placed.add(worker + (onWarmWorker ? "" : " (moved)") + (runCached ? "" : " (not cached)"));
        lastWorker.put(digest, worker);
      }
      System.out.println("round " + round + ": " + placed);
    }
    System.out.println();
    System.out.printf(
        "%d workers, %d sources, %d rebuild rounds (%d builds)%n",
        WORKERS, SOURCES, rounds, builds);
    System.out.println("| measure | Kiln (cache affinity) | random placement |");
    System.out.println("|---|---|---|");
    System.out.printf(
        "| rebuild on the worker that built the source last | %.1f%% (%d/%d) | %.1f%% (1/%d) |%n",
        100.0 * warm / builds, warm, builds, 100.0 / WORKERS, WORKERS);
    System.out.printf(
        "| RUN step taken from the cache | %.1f%% (%d/%d) | %.1f%% |%n",
        100.0 * cached / builds, cached, builds, 100.0 / WORKERS);
  }

  /** A context whose RUN step takes a moment and differs per source. */
  private static Path context(Path work, int n) throws IOException, InterruptedException {
    Path folder = Files.createDirectories(work.resolve("source-" + n));
    Files.copy(Path.of("/bin/busybox"), folder.resolve("busybox"));
    Files.writeString(
        folder.resolve("Dockerfile"),
        """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "sh", "-c", "echo building source %d; sleep 1; echo %d > /source"]
        """
            .formatted(n, n));
    Path tar = work.resolve("source-" + n + ".tar");
    Commands.run(List.of("tar", "-C", folder.toString(), "-cf", tar.toString(), "."));
    return tar;
  }

  /** Submits one build per context at once and waits for all; by context digest. */
  private Map<String, JsonNode> buildAll(List<String> digests) throws Exception {
    Map<String, String> ids = new HashMap<>();
    for (String digest : digests) {
      ids.put(digest, api.submit("{\"source\":{\"context\":\"" + digest + "\"}}"));
    }
    Map<String, JsonNode> finished = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (finished.size() < digests.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("builds did not finish within 5 minutes: " + ids);
      }
      for (Map.Entry<String, String> entry : ids.entrySet()) {
        JsonNode build = api.get("/api/v1/builds/" + entry.getValue());
        if (GatewayApi.ended(build)) {
          if (!build.get("status").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("benchmark build ended " + build);
          }
          finished.put(entry.getKey(), build);
        }
      }
      Thread.sleep(100);
    }
    return finished;
  }

  private boolean runStepCached(String id) throws IOException, InterruptedException {
    JsonNode steps = api.get("/api/v1/builds/" + id + "/steps");
    for (JsonNode step : steps.get("steps")) {
      if (step.get("instruction").asText().startsWith("RUN")) {
        return step.path("cached").asBoolean(false);
      }
    }
    throw new IllegalStateException("build " + id + " has no RUN step: " + steps);
  }
}
