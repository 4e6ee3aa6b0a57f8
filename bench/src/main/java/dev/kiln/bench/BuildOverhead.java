package dev.kiln.bench;

import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
import dev.kiln.context.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The same Dockerfile built through Kiln (POST to SUCCEEDED, pushed to the farm's registry) and by
 * buildah directly (build, and build plus push), cold and warm, round by round side by side, and
 * the resident memory of each service after start and after the builds.
 *
 * <p>Options: {@code --rounds N} (default 5).
 */
public final class BuildOverhead {
  private static final String DOCKERFILE =
      """
      FROM scratch AS build
      COPY busybox /bin/busybox
      RUN ["/bin/busybox", "sh", "-c", "echo hello > /greeting; for i in 1 2 3; do echo line $i; done; echo to-stderr >&2"]
      FROM scratch
      COPY --from=build /greeting /greeting
      """;

  private final GatewayApi api;
  private final String registry;
  private final Path work;

  private BuildOverhead(GatewayApi api, String registry, Path work) {
    this.api = api;
    this.registry = registry;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length >= 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 5;
    Path work = Files.createTempDirectory("kiln-bench");
    FarmSettings settings =
        FarmSettings.defaults(Path.of(System.getProperty("kiln.home", ".")), work.resolve("farm"))
            .withPortBase(33000);
    try (Farm farm = new Farm(settings, System.err)) {
      farm.start();
      Memory.print("resident memory after start", farm);
      BuildOverhead bench =
          new BuildOverhead(new GatewayApi(farm), farm.registryHost().orElseThrow(), work);
      bench.run(rounds);
      Memory.print("resident memory after the builds", farm);
    } finally {
      Trees.delete(work);
    }
  }

  private void run(int rounds) throws Exception {
    Path context = Files.createDirectories(work.resolve("context"));
    Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
    Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
    Path tar = work.resolve("context.tar");
    Commands.run(List.of("tar", "-C", context.toString(), "-cf", tar.toString(), "."));
    String digest = api.upload(tar);
    DirectBuildah direct = new DirectBuildah(work.resolve("buildah"), registry);

    Table table = new Table();
    for (boolean cold : List.of(true, false)) {
      String name = cold ? "cold (noCache)" : "warm (cached)";
      List<Double> kiln = new ArrayList<>();
      List<Double> build = new ArrayList<>();
      List<Double> buildPush = new ArrayList<>();
      // One unmeasured round of each fills the caches that the warm case relies on.
      kilnBuild(digest, cold, 0);
      direct.build(context, cold, 0);
      for (int round = 1; round <= rounds; round++) {
        kiln.add(kilnBuild(digest, cold, round));
        DirectBuildah.Timing timing = direct.build(context, cold, round);
        build.add(timing.buildMs());
        buildPush.add(timing.buildMs() + timing.pushMs());
      }
      table.add(name, kiln, build, buildPush);
    }
    table.print(rounds);
  }

  /** Milliseconds from POST to the moment GET first reads SUCCEEDED. */
  private double kilnBuild(String digest, boolean noCache, int round) throws Exception {
    String body =
        """
        {"source":{"context":"%s"},"tags":["%s/bench/kiln:%d"],"push":true,"options":{"noCache":%s}}
        """
            .formatted(digest, registry, round, noCache);
    return api.buildToSuccess(body).millis();
  }
}
