package dev.kiln.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files, one folder per case under {@code testfiles/}: {@code Dockerfile} and {@code
 * result}, which holds the typed instructions, the steps and the lint findings, or the error. Run
 * with {@code -Dkiln.golden.write=true} to write every result anew, then read the changes through
 * before committing them.
 */
class GoldenFilesTest {
  static Stream<Path> cases() throws IOException, URISyntaxException {
    Path root = Path.of(GoldenFilesTest.class.getResource("/testfiles").toURI());
    try (Stream<Path> folders = Files.list(root)) {
      return folders.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyCaseParsesToItsResult(Path folder) throws IOException {
    String dockerfile = Files.readString(folder.resolve("Dockerfile"), StandardCharsets.UTF_8);
    String actual = render(dockerfile);
    Path result = folder.resolve("result");
    if (Boolean.getBoolean("kiln.golden.write")) {
      Path source =
          Path.of("src/test/resources/testfiles").resolve(folder.getFileName()).resolve("result");
      Files.writeString(source, actual, StandardCharsets.UTF_8);
      Files.writeString(result, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(result, StandardCharsets.UTF_8));
  }

  static String render(String text) {
    List<String> out = new ArrayList<>();
    Dockerfile dockerfile;
    Analysis analysis;
    List<Finding> findings;
    try {
      dockerfile = DockerfileParser.parse(text);
      analysis = Analysis.of(dockerfile, Map.of(), null, null);
      findings = Linter.lint(dockerfile, Map.of(), null, Set.of());
    } catch (DockerfileException e) {
      return "error: " + e.getMessage() + "\n";
    }
    Directives directives = dockerfile.directives();
    out.add(
        "directives: syntax="
            + directives.syntax()
            + " escape="
            + directives.escape()
            + " skip="
            + directives.skippedChecks().stream().sorted().toList()
            + " error="
            + directives.checksFail());
    for (Instruction.Arg arg : dockerfile.globalArgs()) {
      out.add("global " + oneLine(arg));
    }
    for (Stage stage : dockerfile.stages()) {
      Analysis.StageSummary summary = analysis.stages().get(stage.index());
      out.add(
          "stage "
              + stage.index()
              + " name="
              + stage.name()
              + " lines="
              + stage.lines()
              + " base="
              + summary.base()
              + " "
              + summary.baseKind()
              + " dependsOn="
              + summary.dependsOn()
              + " built="
              + summary.built());
      for (Instruction instruction : stage.instructions()) {
        out.add("  " + oneLine(instruction));
      }
      Map<String, String> env =
          new java.util.TreeMap<>(
              Evaluation.run(dockerfile, Map.of(), null).stages().get(stage.index()).env());
      if (!env.isEmpty()) {
        out.add("  env " + oneLine(env));
      }
    }
    out.add(
        "steps: "
            + analysis.stepCount()
            + " images: "
            + analysis.images().stream().map(Analysis.ImageUse::reference).toList());
    for (Finding finding : findings) {
      out.add(
          "finding "
              + finding.lines()
              + " "
              + finding.id()
              + " "
              + finding.severity()
              + ": "
              + finding.message());
    }
    return String.join("\n", out) + "\n";
  }

  private static String oneLine(Object value) {
    return value.toString().replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
  }
}
