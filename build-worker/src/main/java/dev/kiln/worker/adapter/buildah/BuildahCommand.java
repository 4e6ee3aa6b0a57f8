package dev.kiln.worker.adapter.buildah;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.ImageRef;
import dev.kiln.contracts.spec.BuildLimits;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.contracts.spec.NetworkMode;
import dev.kiln.worker.app.EngineBuild;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The command lines of buildah (1.28) and skopeo that the worker runs. Building them is kept apart
 * from running them, so the mapping from a {@link BuildSpec} to flags can be read and tested alone.
 */
public final class BuildahCommand {
  private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final long CPU_PERIOD_MICROS = 100_000;
  private static final int GLOBAL_FLAGS = 7;
  private static final Pattern SAFE_WORD = Pattern.compile("[\\w@%+=:,./-]+");

  /**
   * A build command and the remarks to log before it runs.
   *
   * @param arguments the whole command line, binary first
   * @param notes what the worker changed or cannot honour, for the build log
   * @param shown the command as the build log shows it: without the worker's storage flags, paths
   *     relative to the workspace
   */
  public record Plan(List<String> arguments, List<String> notes, String shown) {}

  /** A spec this worker cannot build as asked. */
  public static final class UnsupportedBuildException extends Exception {
    public UnsupportedBuildException(String message) {
      super(message);
    }
  }

  private final BuildahSettings settings;

  public BuildahCommand(BuildahSettings settings) {
    this.settings = settings;
  }

  /** {@code buildah build …} for one build, the image id written to {@code <work>/iid}. */
  public Plan build(EngineBuild build) throws UnsupportedBuildException {
    BuildSpec spec = build.spec();
    BuildOptions options = spec.options();
    boolean oci = settings.isolation() == Isolation.OCI;
    List<String> notes = new ArrayList<>();
    List<String> args = global();
    args.addAll(
        List.of("build", "--layers", "--force-rm", "--isolation", settings.isolation().flag()));
    if (oci) {
      args.addAll(List.of("--runtime", settings.runtime()));
    }
    args.addAll(List.of("--cgroup-parent", cgroupParent(build)));
    args.addAll(List.of("-f", build.dockerfile().toString()));
    build.ignoreFile().ifPresent(ignore -> args.addAll(List.of("--ignorefile", ignore.toString())));
    args.addAll(List.of("--iidfile", iidFile(build.workDir()).toString()));
    if (spec.target() != null) {
      args.addAll(List.of("--target", spec.target()));
    }
    for (Map.Entry<String, String> arg : spec.buildArgs().entrySet()) {
      requireName("build arg", arg.getKey());
      args.addAll(List.of("--build-arg", arg.getKey() + "=" + arg.getValue()));
    }
    for (Map.Entry<String, String> label : spec.labels().entrySet()) {
      requireName("label", label.getKey());
      args.addAll(List.of("--label", label.getKey() + "=" + label.getValue()));
    }
    if (options.noCache()) {
      args.add("--no-cache");
    }
    args.add("--pull=" + options.pull().name().toLowerCase(Locale.ROOT));
    if (options.platform() != null) {
      args.addAll(List.of("--platform", options.platform().toString()));
    }
    if (options.network() == NetworkMode.NONE) {
      if (!oci) {
        throw new UnsupportedBuildException(
            "network none needs oci isolation; this worker isolates builds with chroot");
      }
      args.addAll(List.of("--network", "none"));
    }
    if (options.squash()) {
      args.add("--squash");
    }
    if (settings.cacheRepository() != null) {
      // A build without cache still shares what it makes; it only does not reuse.
      args.addAll(List.of("--cache-to", settings.cacheRepository()));
      if (!options.noCache()) {
        args.addAll(List.of("--cache-from", settings.cacheRepository()));
      }
    }
    addLimits(spec.limits(), oci, args, notes);
    for (Map.Entry<String, Path> secret : build.secretFiles().entrySet()) {
      if (!SECRET_ID.matcher(secret.getKey()).matches()) {
        throw new UnsupportedBuildException(
            "secret id '" + secret.getKey() + "' must be letters, digits, '.', '_' or '-'");
      }
      args.addAll(List.of("--secret", "id=" + secret.getKey() + ",src=" + secret.getValue()));
    }
    args.add(build.contextDir().toString());
    return new Plan(List.copyOf(args), List.copyOf(notes), shown(args, build.workDir()));
  }

  /** {@code buildah push} of a local image to a registry, its manifest digest written out. */
  public List<String> push(Digest imageId, ImageRef tag, Path digestFile) {
    List<String> args = global();
    args.add("push");
    if (settings.isInsecure(tag)) {
      args.add("--tls-verify=false");
    }
    args.addAll(List.of("--digestfile", digestFile.toString(), imageId.hex(), "docker://" + tag));
    return List.copyOf(args);
  }

  /** {@code buildah push} of a local image into an OCI archive file. */
  public List<String> archive(Digest imageId, Path archive, Path digestFile) {
    List<String> args = global();
    args.addAll(
        List.of(
            "push",
            "--digestfile",
            digestFile.toString(),
            imageId.hex(),
            "oci-archive:" + archive));
    return List.copyOf(args);
  }

  /** {@code buildah rm --all}: removes working containers that killed builds left behind. */
  public List<String> removeContainers() {
    List<String> args = global();
    args.addAll(List.of("rm", "--all"));
    return List.copyOf(args);
  }

  /** {@code buildah rm} of the given working containers, which also unmounts them. */
  public List<String> removeContainers(List<String> ids) {
    List<String> args = global();
    args.add("rm");
    args.addAll(ids);
    return List.copyOf(args);
  }

  /** Any other buildah command on the worker's store, such as {@code images} or {@code rmi}. */
  public List<String> buildah(List<String> arguments) {
    List<String> args = global();
    args.addAll(arguments);
    return List.copyOf(args);
  }

  /** {@code buildah containers --json}: every working container in the store. */
  public List<String> listContainers() {
    List<String> args = global();
    args.addAll(List.of("containers", "--json"));
    return List.copyOf(args);
  }

  /**
   * The cgroup parent of a build's RUN steps. buildah records it with each working container it
   * makes, which is how the containers of one stopped build are told from those of the others.
   */
  public static String cgroupParent(EngineBuild build) {
    return "kiln-" + build.buildId() + "-" + build.attempt();
  }

  /** {@code skopeo inspect --raw}: the manifest, or with {@code config} the image config. */
  public List<String> inspect(String transportRef, boolean config, boolean insecure) {
    List<String> args = new ArrayList<>(List.of(settings.skopeo(), "inspect", "--raw"));
    if (config) {
      args.add("--config");
    }
    if (insecure) {
      args.add("--tls-verify=false");
    }
    args.add(transportRef);
    return List.copyOf(args);
  }

  /** Where the build writes the id of the image it made. */
  public static Path iidFile(Path workDir) {
    return workDir.resolve("iid");
  }

  /** The environment every buildah and skopeo process gets on top of the worker's. */
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("CONTAINERS_REGISTRIES_CONF", settings.registriesConf().toString());
    environment.put("TMPDIR", settings.tmpDir().toString());
    if (settings.authFile() != null) {
      environment.put("REGISTRY_AUTH_FILE", settings.authFile().toString());
    }
    return Map.copyOf(environment);
  }

  private static String shown(List<String> args, Path workDir) {
    String prefix = workDir + "/";
    StringBuilder text = new StringBuilder("buildah");
    for (String arg : args.subList(GLOBAL_FLAGS, args.size())) {
      String relative = arg.replace(prefix, "");
      text.append(' ').append(SAFE_WORD.matcher(relative).matches() ? relative : quote(relative));
    }
    return text.toString();
  }

  private static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  private List<String> global() {
    return new ArrayList<>(
        List.of(
            settings.buildah(),
            "--root",
            settings.storage().toString(),
            "--runroot",
            settings.runroot().toString(),
            "--storage-driver",
            settings.storageDriver()));
  }

  private static void addLimits(
      BuildLimits limits, boolean oci, List<String> args, List<String> notes) {
    if (limits.cpus() == null && limits.memoryMb() == null) {
      return;
    }
    if (!oci) {
      notes.add("limits.cpus and limits.memoryMb are not enforced with chroot isolation");
      return;
    }
    if (limits.cpus() != null) {
      long quota = Math.max(1000, Math.round(limits.cpus() * CPU_PERIOD_MICROS));
      args.addAll(
          List.of(
              "--cpu-period",
              Long.toString(CPU_PERIOD_MICROS),
              "--cpu-quota",
              Long.toString(quota)));
    }
    if (limits.memoryMb() != null) {
      // Swap as large as the memory means none: the limit is what the build really gets.
      args.addAll(
          List.of("--memory", limits.memoryMb() + "m", "--memory-swap", limits.memoryMb() + "m"));
    }
  }

  private static void requireName(String what, String name) throws UnsupportedBuildException {
    if (name.contains("=")) {
      throw new UnsupportedBuildException(what + " name '" + name + "' must not contain '='");
    }
  }
}
