package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import dev.kiln.context.Trees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Realistic Dockerfiles built through Kiln (POST to SUCCEEDED, pushed to the farm's registry) and
 * by {@code buildah build} plus {@code buildah push} directly, cold ({@code noCache}) and warm,
 * round by round side by side: FROM scratch with busybox, a Debian base made with debootstrap plus
 * an {@code apt-get install}, a multi-stage build, and a 200 MB context. For the median Kiln build
 * of each case it also prints where the time went, from the build's own timestamps and log lines.
 *
 * <p>Options: {@code --rounds N} (default 3), {@code --port-base N} (default 33000), {@code
 * --debian-mirror URL} (default {@code http://deb.debian.org/debian}).
 */
public final class WorkerBuild {

  private record Case(String name, Path context, String digest) {}

  private final GatewayApi api;
  private final String registry;
  private final Path work;
  private final Map<String, JsonNode> medianBuilds = new LinkedHashMap<>();

  private WorkerBuild(GatewayApi api, String registry, Path work) {
    this.api = api;
    this.registry = registry;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    int rounds = 3;
    int portBase = 33000;
    String mirror = "http://deb.debian.org/debian";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--port-base" -> portBase = Integer.parseInt(args[i + 1]);
        case "--debian-mirror" -> mirror = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("kiln-bench");
    FarmSettings settings =
        FarmSettings.defaults(Path.of(System.getProperty("kiln.home", ".")), work.resolve("farm"))
            .withPortBase(portBase);
    try (Farm farm = new Farm(settings, System.err)) {
      farm.start();
      WorkerBuild bench =
          new WorkerBuild(new GatewayApi(farm), farm.registryHost().orElseThrow(), work);
      bench.run(rounds, mirror);
    } finally {
      Trees.delete(work);
    }
  }

  private void run(int rounds, String mirror) throws Exception {
    List<Case> cases = new ArrayList<>();
    cases.add(scratchWithBusybox());
    cases.add(debianWithApt(mirror));
    cases.add(multiStage());
    cases.add(largeContext());
    DirectBuildah direct = new DirectBuildah(work.resolve("buildah"), registry);
    Table table = new Table();
    for (Case build : cases) {
      for (boolean cold : List.of(true, false)) {
        String name = build.name() + (cold ? ", cold" : ", warm");
        List<Double> kiln = new ArrayList<>();
        List<Double> buildOnly = new ArrayList<>();
        List<Double> buildPush = new ArrayList<>();
        List<JsonNode> kilnBuilds = new ArrayList<>();
        // One unmeasured round of each pulls the base images and fills the warm caches.
        kilnBuild(build.digest(), cold, 0);
        direct.build(build.context(), cold, 0);
        for (int round = 1; round <= rounds; round++) {
          JsonNode done = kilnBuild(build.digest(), cold, round);
          kiln.add(done.get("benchMs").asDouble());
          kilnBuilds.add(done);
          DirectBuildah.Timing timing = direct.build(build.context(), cold, round);
          buildOnly.add(timing.buildMs());
          buildPush.add(timing.buildMs() + timing.pushMs());
        }
        table.add(name, kiln, buildOnly, buildPush);
        double median = Table.median(kiln);
        medianBuilds.put(
            name,
            kilnBuilds.stream()
                .min(
                    (a, b) ->
                        Double.compare(
                            Math.abs(a.get("benchMs").asDouble() - median),
                            Math.abs(b.get("benchMs").asDouble() - median)))
                .orElseThrow());
      }
    }
    table.print(rounds);
    printPhases();
  }

  private Case scratchWithBusybox() throws Exception {
    Path context = context("scratch");
    Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
    Files.writeString(
        context.resolve("Dockerfile"),
        """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "sh", "-c", "echo hello > /greeting"]
        """);
    return upload("FROM scratch + busybox", context);
  }

  private Case multiStage() throws Exception {
    Path context = context("multi-stage");
    Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
    Files.writeString(
        context.resolve("Dockerfile"),
        """
        FROM scratch AS build
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "sh", "-c", "for i in $(/bin/busybox seq 1 300); do echo line $i; done; echo made > /artifact"]
        FROM scratch
        COPY --from=build /bin/busybox /bin/busybox
        COPY --from=build /artifact /artifact
        """);
    return upload("multi-stage (2 stages)", context);
  }

  private Case largeContext() throws Exception {
    Path context = context("large");
    byte[] block = new byte[1 << 20];
    Random random = new Random(42);
    try (OutputStream out = Files.newOutputStream(context.resolve("data.bin"))) {
      for (int i = 0; i < 200; i++) {
        random.nextBytes(block);
        out.write(block);
      }
    }
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY data.bin /data.bin\n");
    long start = System.nanoTime();
    Case uploaded = upload("200 MB context", context);
    System.err.printf(
        "uploading the 200 MB context took %.0f ms (not part of the build times)%n",
        (System.nanoTime() - start) / 1e6);
    return uploaded;
  }

  /** A Debian bookworm minbase made with debootstrap and pushed to the farm's registry once. */
  private Case debianWithApt(String mirror) throws Exception {
    Path base = Files.createDirectories(work.resolve("debian"));
    Path rootfs = base.resolve("rootfs");
    System.err.println("debootstrap --variant=minbase bookworm from " + mirror + " …");
    Commands.run(
        List.of("debootstrap", "--variant=minbase", "bookworm", rootfs.toString(), mirror));
    // Like the official image: no package lists, so a Dockerfile must run apt-get update.
    Commands.run(List.of("sh", "-c", "rm -rf " + rootfs + "/var/lib/apt/lists/*"));
    Commands.run(List.of("tar", "-C", rootfs.toString(), "-cf", base + "/rootfs.tar", "."));
    Files.writeString(
        base.resolve("Dockerfile"), "FROM scratch\nADD rootfs.tar /\nCMD [\"bash\"]\n");
    Trees.delete(rootfs);
    new DirectBuildah(work.resolve("debian-buildah"), registry)
        .buildAndPush(base, registry + "/library/debian:bookworm");
    Path context = context("debian");
    Files.writeString(
        context.resolve("Dockerfile"),
        """
        FROM %s/library/debian:bookworm
        RUN apt-get update && apt-get install -y --no-install-recommends hello && hello
        """
            .formatted(registry));
    return upload("Debian + apt-get install", context);
  }

  private Path context(String name) throws IOException {
    return Files.createDirectories(work.resolve("contexts").resolve(name));
  }

  private Case upload(String name, Path context) throws Exception {
    Path tar = work.resolve(context.getFileName() + ".tar");
    Commands.run(List.of("tar", "-C", context.toString(), "-cf", tar.toString(), "."));
    String digest = api.upload(tar);
    Files.delete(tar);
    return new Case(name, context, digest);
  }

  /** The build as GET answers it once SUCCEEDED, with {@code benchMs}: POST to SUCCEEDED. */
  private JsonNode kilnBuild(String digest, boolean noCache, int round) throws Exception {
    String body =
        """
        {"source":{"context":"%s"},"tags":["%s/bench/kiln:%d"],"push":true,"options":{"noCache":%s}}
        """
            .formatted(digest, registry, round, noCache);
    GatewayApi.Finished finished = api.buildToSuccess(body);
    return ((ObjectNode) finished.build()).put("benchMs", finished.millis());
  }

  /**
   * Where the time of each median Kiln build went: queued and assigned (gateway, outbox,
   * scheduler), then the worker's phases read from the timestamps of its own log lines, then from
   * its last line to the moment GET showed SUCCEEDED (report, scheduler, status projection,
   * polling).
   */
  private void printPhases() throws Exception {
    System.out.println();
    System.out.println(
        "Where the median Kiln build's time went, in ms (from its timestamps and log lines):");
    System.out.println(
        "| case | POST→started | started→first line | context fetch+unpack | buildah build |"
            + " push | read back layers | last line→SUCCEEDED seen | total |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, JsonNode> entry : medianBuilds.entrySet()) {
      JsonNode build = entry.getValue();
      String id = build.get("id").asText();
      List<JsonNode> lines = new ArrayList<>();
      api.get("/api/v1/builds/" + id + "/logs?limit=10000").get("lines").forEach(lines::add);
      Instant created = Instant.parse(build.get("createdAt").asText());
      Instant started = Instant.parse(build.get("startedAt").asText());
      Instant first = at(lines.getFirst());
      Instant fetch = find(lines, "fetching context");
      Instant unpacked = find(lines, "context unpacked");
      Instant buildah = find(lines, "buildah build ");
      Instant pushing = find(lines, "pushing to ");
      Instant pushed = find(lines, "pushed ");
      Instant last = at(lines.getLast());
      double total = build.get("benchMs").asDouble();
      Instant seen = created.plusNanos((long) (total * 1e6));
      System.out.printf(
          "| %s | %d | %d | %d | %d | %d | %d | %d | %.0f |%n",
          entry.getKey(),
          Duration.between(created, started).toMillis(),
          Duration.between(started, first).toMillis(),
          Duration.between(fetch, unpacked).toMillis(),
          Duration.between(buildah, pushing).toMillis(),
          Duration.between(pushing, pushed).toMillis(),
          Duration.between(pushed, last).toMillis(),
          Duration.between(last, seen).toMillis(),
          total);
    }
  }

  private static Instant find(List<JsonNode> lines, String prefix) {
    return lines.stream()
        .filter(line -> line.get("text").asText().startsWith(prefix))
        .findFirst()
        .map(WorkerBuild::at)
        .orElseThrow(() -> new IllegalStateException("no log line starts with " + prefix));
  }

  private static Instant at(JsonNode line) {
    return Instant.parse(line.get("ts").asText());
  }
}
