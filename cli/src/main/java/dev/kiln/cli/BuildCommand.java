package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.client.KilnClient;
import dev.kiln.cli.client.LogFollower;
import dev.kiln.cli.progress.Progress;
import dev.kiln.context.ContextFiles;
import dev.kiln.context.DockerIgnore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln build}: like {@code docker build}, on the farm. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
      "Builds an image on the farm from a local folder or a git repository, and follows it.",
      "Exits 0 when the build succeeded, 1 when it did not, 2 on bad input, 3 when the server",
      "refused or could not be reached. Ctrl-C asks whether to cancel the build."
    })
final class BuildCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "CONTEXT_DIR|GIT_URL[#ref[:subdir]]",
      description = "The build context: a folder, or a git repository.")
  String source;

  @Option(
      names = {"-t", "--tag"},
      paramLabel = "TAG",
      description = "Name and tag the image (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(
      names = {"-f", "--file"},
      paramLabel = "DOCKERFILE",
      description = "The Dockerfile (default: CONTEXT_DIR/Dockerfile).")
  String dockerfile;

  @Option(names = "--build-arg", paramLabel = "K=V", description = "A build argument (repeatable).")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--target", paramLabel = "STAGE", description = "The stage to build.")
  String target;

  @Option(names = "--no-cache", description = "Build every step again.")
  boolean noCache;

  @Option(names = "--pull", description = "Always pull base images.")
  boolean pull;

  @Option(names = "--platform", paramLabel = "OS/ARCH", description = "The platform to build for.")
  String platform;

  @Option(
      names = "--secret",
      paramLabel = "id=ID,src=FILE",
      description = "A secret for RUN --mount=type=secret (repeatable); also id=ID,env=VAR.")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--push", description = "Push the image to the registries of its tags.")
  boolean push;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      paramLabel = "auto|plain|json",
      description = "How to show the build (default: ${DEFAULT-VALUE}).")
  String progress;

  @Mixin ServerOptions server;

  @Override
  public Integer call() throws Exception {
    if (!List.of("auto", "plain", "json").contains(progress)) {
      throw new UsageProblem("--progress must be auto, plain or json, not '" + progress + "'");
    }
    if (push && tags.isEmpty()) {
      throw new UsageProblem("--push needs a -t TAG naming the registry to push to");
    }
    SourceArgument argument = SourceArgument.parse(source);
    ObjectNode spec = KilnClient.JSON.createObjectNode();
    LocalContext local = argument.isGit() ? null : LocalContext.open(argument.folder(), dockerfile);
    ObjectNode options = spec.putObject("options");
    options.put("noCache", noCache).put("pull", pull ? "always" : "missing");
    if (platform != null) {
      options.put("platform", platform);
    }
    tags.forEach(spec.putArray("tags")::add);
    spec.put("push", push);
    if (target != null) {
      spec.put("target", target);
    }
    ObjectNode args = spec.putObject("buildArgs");
    for (String arg : buildArgs) {
      BuildArgument.parse(arg, System.getenv())
          .ifPresent(kv -> args.put(kv.getKey(), kv.getValue()));
    }
    ObjectNode secretValues = spec.putObject("secrets");
    for (String secret : secrets) {
      SecretArgument parsed = SecretArgument.parse(secret, System.getenv());
      secretValues.put(parsed.id(), parsed.value());
    }

    KilnClient client = server.client();
    boolean json = progress.equals("json");
    PrintStream notes = json ? System.err : System.out;
    ObjectNode sourceNode = spec.putObject("source");
    if (argument.isGit()) {
      ObjectNode git =
          sourceNode
              .putObject("git")
              .put("url", argument.gitUrl())
              .put("subdir", argument.subdir());
      if (argument.ref() != null) {
        git.put("ref", argument.ref());
      }
      if (dockerfile != null) {
        spec.put("dockerfile", dockerfile);
      }
    } else {
      String digest = new ContextUpload(client, System.err, Terminal.isInteractive()).upload(local);
      sourceNode.put("context", digest);
      if (local.inlineDockerfile() != null) {
        sourceNode.put("dockerfile", local.inlineDockerfile());
      } else {
        spec.put("dockerfile", local.dockerfilePath());
      }
    }

    JsonNode submitted = client.post("/api/v1/builds", spec);
    String id = submitted.get("id").asText();
    notes.println("Build " + id + " queued on " + client.config().server());
    Interruption interruption = new Interruption(client, id, System.err);
    String status;
    try (Progress view =
        Progress.of(progress, System.out, Terminal.isInteractive(), Terminal.columns())) {
      interruption.install(view);
      status =
          new LogFollower(
                  client,
                  id,
                  0,
                  new LogFollower.Listener() {
                    @Override
                    public void message(JsonNode message) {
                      view.message(message);
                    }

                    @Override
                    public void reconnecting(String why, Duration pause) {
                      view.note(why + "; reconnecting");
                    }
                  })
              .follow();
    } finally {
      interruption.uninstall();
    }
    JsonNode build = client.get("/api/v1/builds/" + id);
    if (json) {
      System.out.println(
          KilnClient.JSON.createObjectNode().put("type", "build").set("build", build));
    } else {
      BuildReport.print(build, System.out);
    }
    if (interruption.cancelled()) {
      return ExitCodes.INTERRUPTED;
    }
    return "SUCCEEDED".equals(status) ? ExitCodes.OK : ExitCodes.BUILD_DID_NOT_SUCCEED;
  }

  /**
   * The local folder, its Dockerfile and what of it goes to the server.
   *
   * @param root the context folder
   * @param dockerfilePath the Dockerfile's path inside the folder, or {@code null} when it lies
   *     outside and goes inline
   * @param inlineDockerfile the text of a Dockerfile outside the folder
   * @param contentBytes the bytes of file content the folder sends, for the progress bar
   */
  record LocalContext(
      Path root, String dockerfilePath, String inlineDockerfile, long contentBytes) {
    static LocalContext open(Path folder, String dockerfileOption) throws IOException {
      if (!Files.isDirectory(folder)) {
        throw new UsageProblem("the context folder '" + folder + "' does not exist");
      }
      Path root = folder.toAbsolutePath().normalize();
      Path dockerfile =
          dockerfileOption == null
              ? root.resolve("Dockerfile")
              : Path.of(dockerfileOption).toAbsolutePath().normalize();
      if (!Files.isRegularFile(dockerfile)) {
        throw new UsageProblem(
            "there is no Dockerfile at '"
                + dockerfile
                + "'"
                + (dockerfileOption == null ? "; name one with -f" : ""));
      }
      DockerIgnore rules;
      try {
        rules = ContextFiles.ignoreRules(root);
      } catch (IllegalArgumentException e) {
        throw new UsageProblem(
            DockerIgnore.FILE_NAME + " in '" + folder + "' is not valid: " + e.getMessage());
      }
      String relative =
          dockerfile.startsWith(root)
              ? root.relativize(dockerfile).toString().replace('\\', '/')
              : null;
      if (relative != null && rules.excludes(relative)) {
        throw new UsageProblem(
            DockerIgnore.FILE_NAME
                + " in '"
                + folder
                + "' excludes the Dockerfile '"
                + relative
                + "'; remove that line or name another Dockerfile with -f");
      }
      long bytes = 0;
      for (ContextFiles.Entry entry :
          ContextFiles.select(root, rules, ContextFiles.alwaysKept(keptPath(relative)))) {
        if (entry.kind() == ContextFiles.Kind.FILE) {
          bytes += Files.size(entry.file());
        }
      }
      String inline =
          relative == null ? Files.readString(dockerfile, StandardCharsets.UTF_8) : null;
      return new LocalContext(root, relative, inline, bytes);
    }

    /** What the tar keeps whatever {@code .dockerignore} says: the Dockerfile inside the folder. */
    String keptDockerfile() {
      return keptPath(dockerfilePath);
    }

    private static String keptPath(String dockerfilePath) {
      // A Dockerfile outside the folder goes inline: only .dockerignore itself is kept then.
      return dockerfilePath == null ? DockerIgnore.FILE_NAME : dockerfilePath;
    }
  }
}
