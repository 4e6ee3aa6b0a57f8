package dev.kiln.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** buildah run by hand, the way the worker runs it, for the side-by-side figures. */
final class DirectBuildah {
  /** Milliseconds spent building and pushing. */
  record Timing(double buildMs, double pushMs) {}

  private final Path root;
  private final String registry;

  DirectBuildah(Path root, String registry) {
    this.root = root;
    this.registry = registry;
  }

  Timing build(Path context, boolean noCache, int round) throws Exception {
    Path iid = root.resolve("iid");
    Files.createDirectories(root);
    List<String> build = new ArrayList<>(storage());
    // The farm's registry speaks plain HTTP; the worker has it as an insecure registry.
    build.addAll(
        List.of(
            "build", "--layers", "--isolation", "oci", "--runtime", "runc", "--tls-verify=false"));
    if (noCache) {
      build.add("--no-cache");
    }
    build.addAll(List.of("--iidfile", iid.toString(), context.toString()));
    long start = System.nanoTime();
    Commands.run(build);
    double buildMs = (System.nanoTime() - start) / 1e6;
    List<String> push = new ArrayList<>(storage());
    push.addAll(
        List.of(
            "push",
            "--tls-verify=false",
            Files.readString(iid).strip(),
            "docker://" + registry + "/bench/direct:" + round));
    start = System.nanoTime();
    Commands.run(push);
    return new Timing(buildMs, (System.nanoTime() - start) / 1e6);
  }

  /** Builds a context with chroot isolation and pushes it, unmeasured: a base image. */
  void buildAndPush(Path context, String reference) throws Exception {
    Path iid = root.resolve("iid");
    Files.createDirectories(root);
    List<String> build = new ArrayList<>(storage());
    build.addAll(
        List.of("build", "--isolation", "chroot", "--iidfile", iid.toString(), context.toString()));
    Commands.run(build);
    List<String> push = new ArrayList<>(storage());
    push.addAll(
        List.of(
            "push", "--tls-verify=false", Files.readString(iid).strip(), "docker://" + reference));
    Commands.run(push);
  }

  private List<String> storage() {
    return List.of(
        "buildah",
        "--root",
        root.resolve("storage").toString(),
        "--runroot",
        root.resolve("runroot").toString(),
        "--storage-driver",
        "overlay");
  }
}
