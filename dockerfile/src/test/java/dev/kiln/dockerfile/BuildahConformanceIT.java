package dev.kiln.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Builds every Dockerfile under {@code conformance/} with the real buildah ({@code --isolation
 * chroot}, FROM scratch with busybox from the context) and checks that the parser's step count of
 * each built stage equals the {@code m} of buildah's {@code STEP n/m}. A case where this buildah is
 * known to read a Dockerfile differently holds a {@code buildah-disagrees} file: its first line is
 * what buildah does ({@code steps: <stage>=<m> …}, and {@code fails} when the build fails), the
 * rest says why. Such a case passes only while buildah still does exactly that.
 */
class BuildahConformanceIT {
  private static final Pattern STEP =
      Pattern.compile("^(?:\\[(\\d+)/(\\d+)\\] )?STEP (\\d+)/(\\d+): .*$");
  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final List<String> REPORT = new ArrayList<>();

  @TempDir static Path work;
  private static Path context;

  @BeforeAll
  static void context() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/buildah")), "needs buildah");
    assumeTrue(Files.isExecutable(BUSYBOX), "needs busybox-static");
    context = Files.createDirectories(work.resolve("context"));
    Files.copy(BUSYBOX, context.resolve("busybox"));
    Files.writeString(context.resolve("hello.txt"), "hello\n");
    Files.createDirectories(context.resolve("dir"));
    Files.writeString(context.resolve("dir/a.txt"), "a\n");
    Files.writeString(context.resolve("dir/b.md"), "b\n");
  }

  @AfterAll
  static void report() throws IOException {
    if (REPORT.isEmpty()) {
      return;
    }
    String text =
        "buildah conformance: "
            + REPORT.size()
            + " Dockerfiles built\n"
            + String.join("\n", REPORT)
            + "\n";
    System.out.print(text);
    Files.writeString(Path.of("target/buildah-conformance.txt"), text, StandardCharsets.UTF_8);
  }

  static Stream<Path> cases() throws IOException, URISyntaxException {
    Path root = Path.of(BuildahConformanceIT.class.getResource("/conformance").toURI());
    try (Stream<Path> folders = Files.list(root)) {
      return folders.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parserStepsEqualBuildahSteps(Path folder) throws Exception {
    String text = Files.readString(folder.resolve("Dockerfile"), StandardCharsets.UTF_8);
    Properties build = new Properties();
    if (Files.exists(folder.resolve("build.properties"))) {
      try (var in = Files.newBufferedReader(folder.resolve("build.properties"))) {
        build.load(in);
      }
    }
    Map<String, String> args = new LinkedHashMap<>();
    build.stringPropertyNames().stream()
        .filter(key -> key.startsWith("arg."))
        .sorted()
        .forEach(key -> args.put(key.substring(4), build.getProperty(key)));
    String target = build.getProperty("target");

    Map<String, String> labels = new LinkedHashMap<>();
    build.stringPropertyNames().stream()
        .filter(key -> key.startsWith("label."))
        .sorted()
        .forEach(key -> labels.put(key.substring(6), build.getProperty(key)));

    Map<Integer, Integer> parser = parserSteps(text, args, target, labels.size());
    Buildah buildah = build(folder.getFileName().toString(), text, args, labels, target);

    Path disagreement = folder.resolve("buildah-disagrees");
    String name = folder.getFileName().toString();
    if (Files.exists(disagreement)) {
      String expected = Files.readAllLines(disagreement).getFirst();
      REPORT.add(
          "DISAGREES "
              + name
              + ": parser "
              + parser
              + ", buildah "
              + buildah.describe()
              + " ("
              + Files.readAllLines(disagreement).stream()
                  .skip(1)
                  .reduce("", (a, b) -> a + b)
                  .strip()
              + ")");
      assertThat(buildah.describe()).as(buildah.output()).isEqualTo(expected);
    } else {
      REPORT.add(
          (buildah.exitCode() == 0 && buildah.steps().equals(parser) ? "agrees    " : "DIFFERS   ")
              + name
              + ": parser "
              + parser
              + ", buildah "
              + buildah.describe());
      assertThat(buildah.exitCode()).as(buildah.output()).isZero();
      assertThat(buildah.steps()).as(buildah.output()).isEqualTo(parser);
    }
  }

  /** Per built stage (numbered from 1, as buildah does), its number of steps. */
  private static Map<Integer, Integer> parserSteps(
      String text, Map<String, String> args, String target, int labels) {
    Analysis analysis = Analysis.of(DockerfileParser.parse(text), args, target, null);
    Map<Integer, Integer> steps = new TreeMap<>();
    analysis.buildahSteps(labels).forEach((stage, count) -> steps.put(stage + 1, count));
    return steps;
  }

  private record Buildah(int exitCode, Map<Integer, Integer> steps, String output) {
    String describe() {
      StringBuilder text = new StringBuilder("steps:");
      steps.forEach((stage, count) -> text.append(' ').append(stage).append('=').append(count));
      return exitCode == 0 ? text.toString() : text + " fails";
    }
  }

  private static Buildah build(
      String name, String text, Map<String, String> args, Map<String, String> labels, String target)
      throws Exception {
    Path dockerfile = work.resolve(name + ".Dockerfile");
    Files.writeString(dockerfile, text, StandardCharsets.UTF_8);
    List<String> command =
        new ArrayList<>(
            List.of(
                "buildah",
                "--root",
                work.resolve("root").toString(),
                "--runroot",
                work.resolve("runroot").toString(),
                "--storage-driver",
                "vfs",
                "build",
                "--isolation",
                "chroot",
                "--pull=never",
                "-f",
                dockerfile.toString(),
                "-t",
                "conformance-" + name));
    if (target != null) {
      command.addAll(List.of("--target", target));
    }
    args.forEach((key, value) -> command.addAll(List.of("--build-arg", key + "=" + value)));
    labels.forEach((key, value) -> command.addAll(List.of("--label", key + "=" + value)));
    command.add(context.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("buildah did not finish building " + name);
    }
    Map<Integer, Integer> steps = new TreeMap<>();
    for (String line : output.split("\n")) {
      Matcher step = STEP.matcher(line);
      if (step.matches()) {
        int stage = step.group(1) == null ? 1 : Integer.parseInt(step.group(1));
        steps.put(stage, Integer.parseInt(step.group(4)));
      }
    }
    return new Buildah(process.exitValue(), steps, output);
  }
}
