package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.farm.Farm;
import dev.kiln.cli.farm.FarmSettings;
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
    farm =
        new Farm(
            FarmSettings.defaults(HOME, data)
                .withPortBase(Integer.getInteger("kiln.e2e.port-base", 31000)),
            System.out);
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

    assertThat(unknownFlag.exit()).isEqualTo(2);
    assertThat(unknownFlag.stderr().strip())
        .contains("Unknown option: '--bogus'")
        .doesNotContain("\n");
    assertThat(missingFolder.exit()).isEqualTo(2);
    assertThat(missingFolder.stderr().strip()).endsWith("does not exist").doesNotContain("\n");
    assertThat(noDockerfile.exit()).isEqualTo(2);
    assertThat(noDockerfile.stderr()).contains("there is no Dockerfile");
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

  /** What a finished {@code kiln} process printed. */
  record Run(int exit, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  private Run kiln(String token, String... args) throws Exception {
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
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process process =
        builder
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
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
