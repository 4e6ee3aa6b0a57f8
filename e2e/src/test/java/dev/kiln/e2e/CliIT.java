package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.farm.Farm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code kiln} command, run as a user runs it, against a real farm. */
class CliIT {
  private static final Path HOME = Path.of(System.getProperty("kiln.home")).toAbsolutePath();

  @TempDir static Path data;
  @TempDir static Path config;
  @TempDir Path work;

  private static Farm farm;
  private static String registry;

  @BeforeAll
  static void startFarm() throws Exception {
    farm = new Farm(TestFarms.settings(data, 0), System.out);
    farm.start();
    registry = farm.registryHost().orElseThrow();
  }

  @AfterAll
  static void stopFarm() {
    if (farm != null) {
      farm.close();
    }
  }

  @Test
  void aSuccessfulBuildShowsItsStepsAndExitsZero() throws Exception {
    Path context =
        context(
            """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "sh", "-c", "echo built by the cli > /made"]
            """);
    String tag = registry + "/cli/app:1";

    Run run =
        kiln(
            farm.adminToken(),
            "build",
            "--progress",
            "plain",
            "-t",
            tag,
            "--push",
            context.toString());

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("#1 FROM scratch")
        .contains("#3 RUN [\"/bin/busybox\"")
        .containsPattern("#3 (DONE [0-9.]+s|CACHED)")
        .contains("Successfully built ")
        .contains("Pushed " + tag);
  }

  @Test
  void aFailingBuildExitsOneAndNamesTheStepAndWhatToDo() throws Exception {
    Path context =
        context(
            """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "sh", "-c", "echo going down; exit 3"]
            """);

    Run run = kiln(farm.adminToken(), "build", "--progress", "plain", context.toString());

    assertThat(run.exit()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains("#3 0.")
        .contains("going down")
        .containsPattern("ERROR: build [0-9a-f-]+ FAILED at step 3")
        .contains("RUN_FAILED")
        .contains("exit code 3")
        .contains("suggestion: ");
  }

  @Test
  void jsonProgressIsOneObjectPerLineEndingWithTheBuild() throws Exception {
    Path context = context("FROM scratch\nCOPY busybox /bin/busybox\n");

    Run run = kiln(farm.adminToken(), "build", "--progress", "json", context.toString());

    assertThat(run.exit()).as(run.output()).isZero();
    List<JsonNode> messages = new ArrayList<>();
    for (String line : run.stdout().split("\n")) {
      messages.add(KilnApi.JSON.readTree(line));
    }
    assertThat(messages).extracting(m -> m.get("type").asText()).contains("log", "step", "end");
    JsonNode last = messages.getLast();
    assertThat(last.get("type").asText()).isEqualTo("build");
    assertThat(last.at("/build/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(messages.get(messages.size() - 2).get("type").asText()).isEqualTo("end");
  }

  @Test
  void badInputGetsOneLineAndNothingIsSubmitted() throws Exception {
    String admin = farm.adminToken();
    int before = buildCount(admin);
    Path context = context("FROM scratch\n");

    Run unknownFlag = kiln(admin, "build", "--bogus", context.toString());
    Run missingFolder = kiln(admin, "build", work.resolve("nowhere").toString());
    Run noDockerfile =
        kiln(admin, "build", Files.createDirectories(work.resolve("empty")).toString());
    Run unreachable = kiln(admin, "build", "--server", "http://127.0.0.1:1", context.toString());
    Path ignoresDockerfile = context("FROM scratch\n");
    Files.writeString(ignoresDockerfile.resolve(".dockerignore"), "busybox\nDocker*\n");
    Run dockerfileIgnored = kiln(admin, "build", ignoresDockerfile.toString());

    assertThat(unknownFlag.exit()).isEqualTo(2);
    assertThat(unknownFlag.stderr().strip())
        .contains("Unknown option: '--bogus'")
        .doesNotContain("\n");
    assertThat(missingFolder.exit()).isEqualTo(2);
    assertThat(missingFolder.stderr().strip()).endsWith("does not exist").doesNotContain("\n");
    assertThat(noDockerfile.exit()).isEqualTo(2);
    assertThat(noDockerfile.stderr()).contains("there is no Dockerfile");
    assertThat(dockerfileIgnored.exit()).isEqualTo(2);
    assertThat(dockerfileIgnored.stderr().strip())
        .contains(
            ".dockerignore in '" + ignoresDockerfile + "' excludes the Dockerfile 'Dockerfile'")
        .doesNotContain("\n");
    assertThat(unreachable.exit()).isEqualTo(3);
    assertThat(unreachable.stderr().strip())
        .contains("cannot reach the Kiln server")
        .doesNotContain("\n");
    assertThat(buildCount(admin)).isEqualTo(before);
  }

  @Test
  void aUsersTokenReachesOnlyTheirOwnBuilds() throws Exception {
    String admin = farm.adminToken();
    Run made = kiln(admin, "token", "create", "dana");
    assertThat(made.exit()).as(made.output()).isZero();
    String dana = made.stdout().strip();
    Path context = context("FROM scratch\n");
    Run adminBuild = kiln(admin, "build", "--progress", "json", context.toString());
    String adminBuildId =
        KilnApi.JSON
            .readTree(adminBuild.stdout().strip().lines().reduce((a, b) -> b).orElseThrow())
            .at("/build/id")
            .asText();

    Run danaStatus = kiln(dana, "status", adminBuildId);
    Run danaList = kiln(dana, "ls");
    Run noToken = kiln("", "ls");

    assertThat(danaStatus.exit()).isEqualTo(3);
    assertThat(danaStatus.stderr()).contains("no build with id '" + adminBuildId + "'");
    assertThat(danaList.exit()).isZero();
    assertThat(danaList.stdout()).doesNotContain(adminBuildId);
    assertThat(noToken.exit()).isEqualTo(3);
    assertThat(noToken.stderr()).contains("needs an API token");
  }

  @Test
  void theContextLeavesOutWhatDockerignoreNames() throws Exception {
    Path context =
        context(
            """
            FROM scratch
            COPY busybox /bin/busybox
            COPY . /ctx/
            RUN ["/bin/busybox", "sh", "-c", "test -e /ctx/kept.txt && test ! -e /ctx/notes/secret.txt && test ! -e /ctx/big.log"]
            """);
    Files.writeString(context.resolve("kept.txt"), "kept");
    Files.createDirectories(context.resolve("notes"));
    Files.writeString(context.resolve("notes/secret.txt"), "left behind");
    Files.writeString(context.resolve("big.log"), "left behind");
    Files.writeString(context.resolve(".dockerignore"), "notes/\n*.log\n");

    Run run = kiln(farm.adminToken(), "build", "--progress", "plain", context.toString());

    assertThat(run.exit()).as(run.output()).isZero();
  }

  @Test
  void logsFollowGoesOnAfterTheLogServiceIsKilledWithNoLineLostOrRepeated() throws Exception {
    KilnApi api = new KilnApi(farm.gatewayUrl(), farm.adminToken());
    int ticks = 150;
    String dockerfile =
        "FROM scratch\nCOPY busybox /bin/busybox\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"for i in $(/bin/busybox seq 1 "
            + ticks
            + "); do echo tick $i; /bin/busybox sleep 0.05; done\"]\n";
    String digest =
        api.uploadContext(Contexts.withBusybox(work, dockerfile)).body().get("digest").asText();
    String id =
        api.submit("{\"source\":{\"context\":\"" + digest + "\"}}").body().get("id").asText();
    Path out = work.resolve("follow.out");
    Path err = work.resolve("follow.err");
    Process follow = kilnProcess(farm.adminToken(), out, err, "logs", "-f", id);

    awaitOutput(out, "tick 20");
    farm.kill("log-service");
    farm.restart("log-service");
    assertThat(follow.waitFor(5, TimeUnit.MINUTES)).isTrue();

    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(follow.exitValue()).as(stdout + Files.readString(err)).isZero();
    assertThat(Files.readString(err)).contains("reconnecting");
    List<String> seen = stdout.lines().filter(line -> line.startsWith("tick ")).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= ticks; i++) {
      expected.add("tick " + i);
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(api.get("/api/v1/builds/" + id).body().get("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  private static void awaitOutput(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(file + " never showed '" + text + "'");
      }
      Thread.sleep(50);
    }
  }

  private int buildCount(String token) throws Exception {
    return new KilnApi(farm.gatewayUrl(), token)
        .get("/api/v1/builds?limit=500")
        .body()
        .get("builds")
        .size();
  }

  private Path context(String dockerfile) throws IOException {
    Path dir = Files.createTempDirectory(work, "ctx");
    Files.copy(Contexts.BUSYBOX, dir.resolve("busybox"));
    Files.writeString(dir.resolve("Dockerfile"), dockerfile);
    return dir;
  }

  /**
   * Starts {@code kiln} as a user in a terminal-less shell would, with stdout and stderr to files.
   */
  private Process kilnProcess(String token, Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(HOME.resolve("kiln").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    Map<String, String> env = builder.environment();
    env.put("KILN_SERVER", farm.gatewayUrl());
    env.put("XDG_CONFIG_HOME", config.toString());
    if (token.isEmpty()) {
      env.remove("KILN_TOKEN");
    } else {
      env.put("KILN_TOKEN", token);
    }
    return builder
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
  }

  /** What a finished {@code kiln} process printed. */
  record Run(int exit, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  private Run kiln(String token, String... args) throws Exception {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process process = kilnProcess(token, out, err, args);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("kiln " + String.join(" ", args) + " did not finish");
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
